/**
 * Trainable-parameter estimates from an experiment config alone, before anything is built: the
 * pre-training check needs "how much can this model memorise" without allocating it. Each
 * family's spec does the counting (models/<family>/spec.ts); a model type no spec declares is
 * assumed to be large, so an unknown model is never waved through.
 */
import type { ExperimentConfig } from '../experiment/config';
import { specOf } from '../models/registry';
import type { ParameterEstimate } from '../models/spec';

export type { CapacityKind, ParameterEstimate } from '../models/spec';
export { UNBOUNDED_VOCAB_FEATURES } from '../models/classical/spec';

/** BERT-base (Devlin et al. 2019), the smallest common pretrained encoder: the conservative guess. */
export const UNKNOWN_MODEL_PARAMETERS = 110_000_000;

/** Estimates trainable parameters; `given` (from a built model) wins when present. */
export function estimateParameters(config: ExperimentConfig, classes: number, given?: number, trainSize = Number.POSITIVE_INFINITY): ParameterEstimate {
  const spec = specOf(config.model.type);
  const kind = spec?.capacity(config.model) ?? 'unknown';
  if (given !== undefined && Number.isFinite(given) && given >= 0) return { count: given, exact: true, kind, basis: 'given by the caller' };
  if (spec) return spec.estimate(config.model, { train: trainSize, classes });
  const raw = config.model as Record<string, unknown>;
  if (typeof raw.parameterCount === 'number') return { count: raw.parameterCount, exact: true, kind, basis: 'model.parameterCount' };
  return { count: UNKNOWN_MODEL_PARAMETERS, exact: false, kind, basis: `unknown model type "${String(raw.type)}": assumed BERT-base size` };
}

/** Reads a field that newer model configs may carry (dropout, weightDecay, lora...): model.X, then model.train.X. */
export function modelField(config: ExperimentConfig, name: string): unknown {
  const m = config.model as Record<string, unknown>;
  if (m[name] !== undefined) return m[name];
  const train = m.train as Record<string, unknown> | undefined;
  return train && typeof train === 'object' ? train[name] : undefined;
}

/** The training loop settings of a neural config, when it has one. */
export function loopOf(config: ExperimentConfig): { epochs: number; lr: number; optimizer: string; labelSmoothing?: number } | undefined {
  const t = (config.model as Record<string, unknown>).train as Record<string, unknown> | undefined;
  if (!t || typeof t !== 'object' || typeof t.epochs !== 'number' || typeof t.lr !== 'number') return undefined;
  return { epochs: t.epochs, lr: t.lr, optimizer: String(t.optimizer ?? 'adam'), labelSmoothing: typeof t.labelSmoothing === 'number' ? t.labelSmoothing : undefined };
}
