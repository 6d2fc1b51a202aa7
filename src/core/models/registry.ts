/**
 * The one list of model specs. The config schema (a union on `type`), the factory, the loader,
 * the family and the compute a model needs are all read from its family's spec, so adding a
 * family is one folder with a spec plus one line in MODEL_SPECS (and its traits in traits.ts).
 */
import { z } from 'zod';
import { CALIBRATED_KIND, CalibratedEstimator } from './calibration/calibrated-estimator';
import { classicalSpec } from './classical/spec';
import type { AssetRef, Estimator, LoadEnv, ModelArtifact, ModelFamily } from './estimator';
import { biGruSpec, fastTextSpec, textCnnSpec, transformerSpec } from './neural/spec';
import { pretrainedSpec } from './pretrained/spec';
import { ensembleSpec } from './ensemble/spec';
import type { ModelSpec } from './spec';
import { ConfigError } from '../util/errors';

export const MODEL_SPECS = [classicalSpec, fastTextSpec, textCnnSpec, transformerSpec, biGruSpec, pretrainedSpec, ensembleSpec] as const;

type SpecConfig<S> = S extends ModelSpec<infer C> ? C : never;
/** Every model config, discriminated on `type`. */
export type ModelConfig = SpecConfig<(typeof MODEL_SPECS)[number]>;

export const modelSchema = z.discriminatedUnion(
  'type',
  MODEL_SPECS.flatMap((s) => s.schemas) as [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]],
) as unknown as z.ZodType<ModelConfig, unknown>;

/** The spec that owns a config type or artifact kind; undefined when no family declares it. */
export function specOf(type: string): ModelSpec<ModelConfig> | undefined {
  return (MODEL_SPECS as unknown as readonly ModelSpec<ModelConfig>[]).find((s) => (s.types as readonly string[]).includes(type));
}

export function createEstimator(cfg: ModelConfig): Estimator {
  const spec = specOf(cfg.type);
  if (!spec) throw new ConfigError(`Unknown model type "${(cfg as { type: string }).type}"`);
  return spec.create(cfg);
}

/** `env.assets` resolves what an artifact holds by reference (a pretrained run's base model). */
export function loadEstimator(artifact: ModelArtifact, env?: LoadEnv): Estimator {
  // Wrappers are not families: they take their family from the model they wrap (their member).
  if (artifact.kind === CALIBRATED_KIND) return CalibratedEstimator.load(artifact, (a) => loadEstimator(a, env));
  const spec = specOf(artifact.kind);
  if (!spec) throw new ConfigError(`Cannot load a model of kind "${artifact.kind}"`);
  return spec.load(artifact, env);
}

/** The family of a config type or artifact kind; a type no spec declares is treated as neural (tensors, high capacity). */
export function modelFamily(type: string): ModelFamily {
  return specOf(type)?.family ?? 'neural';
}

/**
 * Whether training this config needs a tensor backend (TF.js webgpu/wasm/cpu). Plain-TypeScript
 * trainers (the sparse classical models, fastText's own per-example SGD) never start one.
 */
export function trainsWithTensors(cfg: ModelConfig): boolean {
  return (specOf(cfg.type)?.trainsOn(cfg) ?? 'tensors') === 'tensors';
}

/**
 * Whether predicting with a saved model needs a tensor backend (see trainsWithTensors). A
 * composite model needs one when any member does: inline members are read directly, referenced
 * ones (an ensemble's member runs) through `referenced`; a reference it cannot see through counts
 * as needing one, since starting a backend needlessly is slow but predicting without one fails.
 */
export function predictsWithTensors(artifact: ModelArtifact, referenced?: (ref: AssetRef) => ModelArtifact | undefined): boolean {
  if (artifact.members?.length)
    return artifact.members.some((m) => {
      const member = m.artifact ?? referenced?.(m.ref);
      return member === undefined || predictsWithTensors(member, referenced);
    });
  return (specOf(artifact.kind)?.predictsOn(artifact) ?? 'tensors') === 'tensors';
}
