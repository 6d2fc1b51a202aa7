/**
 * The ensemble family's spec. An ensemble trains nothing but its combiner (weights, a
 * meta-learner, a calibration map), fitted in plain TypeScript on validation predictions; its
 * members are other runs, referenced by id. create() and load() give an ensemble whose members
 * are not loaded yet: the lab resolves them (EnsembleEstimator.resolveMembers) from the member
 * runs before fitting or predicting, since loading a run is the storage layer's business.
 */
import type { ModelArtifact } from '../estimator';
import { memoryEstimate, type DataScale, type ModelSpec, type ParameterEstimate } from '../spec';
import { ensembleSchema, type EnsembleConfig } from './config';
import { EnsembleEstimator } from './ensemble-estimator';
import { ensembleTraits } from './traits';

/** The combiner's own fitted numbers (members' parameters belong to their runs). */
function estimate(cfg: EnsembleConfig, data: DataScale): ParameterEstimate {
  const M = cfg.members.length;
  const K = data.classes;
  const meta = cfg.method === 'stacking' || cfg.method === 'blend';
  const calibration = cfg.calibrate === 'temperature' ? 1 : cfg.calibrate === 'platt' ? 2 * K : 0;
  const count = (meta ? M * K * K + K : M) + calibration;
  return {
    count,
    // Isotonic maps grow with the data; the members' own parameters are not counted.
    exact: cfg.calibrate !== 'isotonic',
    kind: 'linear',
    basis: meta ? `meta-learner: ${M} members x ${K} classes -> ${K} classes` : `${M} member weights`,
  };
}

export const ensembleSpec: ModelSpec<EnsembleConfig> = {
  ...ensembleTraits,
  schemas: [ensembleSchema],
  create: (cfg) => new EnsembleEstimator(cfg),
  load: (artifact: ModelArtifact) => EnsembleEstimator.load(artifact),
  estimate,
  memory: (cfg, data) => memoryEstimate(estimate(cfg, data).count, 'none'),
  // Combining a few probabilities cannot memorise the training set; the meta-learner is a penalised convex model.
  capacity: () => 'linear',
  trainsOn: () => 'plain',
  predictsOn: () => 'plain',
  guard: {},
};
