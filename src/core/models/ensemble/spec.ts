/**
 * The ensemble family's spec: ensembles and cascades. Neither trains anything but what combines
 * its members (weights, a meta-learner, a calibration map, thresholds), fitted in plain
 * TypeScript on validation predictions; members are other runs, referenced by id. create() and
 * load() give a model whose members are not loaded yet: the lab resolves them (resolveMembers)
 * from the member runs before fitting or predicting, since loading a run is the storage layer's
 * business.
 */
import type { ModelArtifact } from '../estimator';
import { memoryEstimate, type DataScale, type ModelSpec, type ParameterEstimate } from '../spec';
import { CascadeEstimator } from './cascade-estimator';
import { CASCADE_KIND, cascadeSchema, ensembleSchema, type CascadeConfig, type EnsembleConfig } from './config';
import { EnsembleEstimator } from './ensemble-estimator';
import { ensembleTraits } from './traits';

/** The combiner's own fitted numbers (members' parameters belong to their runs). */
function estimate(cfg: EnsembleConfig | CascadeConfig, data: DataScale): ParameterEstimate {
  if (cfg.type === CASCADE_KIND) return { count: cfg.members.length - 1, exact: true, kind: 'linear', basis: `${cfg.members.length - 1} confidence thresholds` };
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

export const ensembleSpec: ModelSpec<EnsembleConfig | CascadeConfig> = {
  ...ensembleTraits,
  schemas: [ensembleSchema, cascadeSchema],
  create: (cfg) => (cfg.type === CASCADE_KIND ? new CascadeEstimator(cfg) : new EnsembleEstimator(cfg)),
  load: (artifact: ModelArtifact) => (artifact.kind === CASCADE_KIND ? CascadeEstimator.load(artifact) : EnsembleEstimator.load(artifact)),
  estimate,
  memory: (cfg, data) => memoryEstimate(estimate(cfg, data).count, 'none'),
  // Combining a few probabilities cannot memorise the training set; the meta-learner is a penalised convex model.
  capacity: () => 'linear',
  trainsOn: () => 'plain',
  predictsOn: () => 'plain',
  guard: {},
};
