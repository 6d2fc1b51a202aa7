/**
 * Pre-training validation: reads an experiment config and the data sizes, and says in plain
 * words what is likely to overfit, with concrete config changes that would not. 'block'
 * findings stop a run unless the user overrides them with a reason, which is stored with the
 * run so a reader of its results knows the risk was taken knowingly.
 */
import { techniqueRisks } from '../train/techniques/risks';
import type { Techniques } from '../train/techniques/config';
import type { ExperimentConfig } from '../experiment/config';
import { specOf } from '../models/registry';
import type { DeviceLimits } from '../models/spec';
import { GuardError } from '../util/errors';
import { estimateParameters, loopOf, modelField } from './param-estimate';
import * as T from './thresholds';

export type Severity = 'info' | 'warn' | 'block';

export interface Finding {
  rule:
    'data-size' | 'params-per-example' | 'epochs' | 'learning-rate' | 'regularisation' | 'validation-size' | 'lora-rank' | 'device-memory' | 'distillation-teacher' | 'techniques';
  severity: Severity;
  message: string;
  /** Concrete config changes, `path: value`. */
  saferAlternatives: string[];
  value?: number;
  threshold?: number;
}

export interface DataSizes {
  train: number;
  validation: number;
  classes: number;
}

export interface ConfigSafetyRecord {
  overridden: boolean;
  reason?: string;
  findings: Finding[];
}

const fmt = (n: number): string => (Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : Number(n.toPrecision(3)).toString());

const positive = (v: unknown): boolean => (typeof v === 'number' ? v > 0 : v === true || (typeof v === 'object' && v !== null));

/** Which regularisers the config shows (absent fields count as missing: today's neural configs have none). */
function regularisers(config: ExperimentConfig): { dropout: boolean; weightDecay: boolean; earlyStopping: boolean } {
  const field = modelField(config, 'dropout');
  return {
    dropout: field === undefined ? (specOf(config.model.type)?.guard.impliedDropout?.(config.model as never) ?? false) : positive(field),
    weightDecay: positive(modelField(config, 'weightDecay')),
    earlyStopping: positive(modelField(config, 'earlyStopping')) || positive(modelField(config, 'patience')),
  };
}

/**
 * Implicit regularisation a training loop shows without naming it: a few passes with the
 * learning rate decayed to zero is early stopping fixed in advance (the weights cannot wander far
 * from where the decaying steps leave them). It counts only on data large enough that a few
 * passes are few presentations per parameter (SMALL_DATA_EXAMPLES, as the epoch rule).
 * Returns the words for the finding, or undefined.
 */
function implicitRegularisation(config: ExperimentConfig, train: number): string | undefined {
  const loop = loopOf(config);
  const decays = specOf(config.model.type)?.guard.lrDecaysToZero?.(config.model as never) ?? false;
  if (!loop || !decays || loop.epochs > T.FEW_EPOCHS || train < T.SMALL_DATA_EXAMPLES) return undefined;
  return `${loop.epochs} epoch${loop.epochs > 1 ? 's' : ''} with the learning rate decayed to zero`;
}

/**
 * `opts.device`: the tensor device's limits, given when training runs on one that has them
 * (WebGPU: the adapter's maxStorageBufferBindingSize, 128 MiB when unknown; a memory budget).
 * Without it no device-memory check runs: the CPU and WASM backends bind no storage buffers.
 */
export function validateConfig(config: ExperimentConfig, data: DataSizes, opts: { parameterCount?: number; device?: DeviceLimits } = {}): Finding[] {
  const out: Finding[] = [];
  const train = Math.min(data.train, config.data.maxTrain ?? Number.POSITIVE_INFINITY);
  const validation = Math.min(data.validation, config.data.maxValidation ?? Number.POSITIVE_INFINITY);
  const classes = Math.max(1, data.classes);
  const m = config.model as Record<string, unknown>;
  const spec = specOf(config.model.type);
  const cfg = config.model as never;

  if (train <= 0) {
    out.push({
      rule: 'data-size',
      severity: 'block',
      message: 'There are no training examples.',
      saferAlternatives: ['data.maxTrain: remove it, or import a dataset with training rows'],
    });
    return out;
  }

  // Capacity against data.
  const est = estimateParameters(config, classes, opts.parameterCount, train);
  const perExample = est.count / train;
  if (perExample > T.PARAMS_PER_EXAMPLE_WARN) {
    // Convex, penalised models do not memorise the way free-running networks do: warn at most.
    const block = perExample > T.PARAMS_PER_EXAMPLE_BLOCK && (est.kind === 'neural' || est.kind === 'unknown');
    const shrink = spec?.guard.shrink?.(cfg, { train, classes }, T.PARAMS_PER_EXAMPLE_WARN);
    const alts = shrink ?? ['lora.rank: 8 (adapt a pretrained model instead of tuning every weight)'];
    if (config.data.maxTrain !== undefined && config.data.maxTrain < data.train) alts.push('data.maxTrain: remove it (train on all examples)');
    out.push({
      rule: 'params-per-example',
      severity: block ? 'block' : 'warn',
      message:
        `The model has about ${fmt(est.count)} trainable parameters for ${fmt(train)} training examples (${fmt(perExample)} per example; ` +
        `above ${fmt(T.PARAMS_PER_EXAMPLE_WARN)} it can memorise each example). Estimate: ${est.basis}.`,
      saferAlternatives: alts,
      value: perExample,
      threshold: block ? T.PARAMS_PER_EXAMPLE_BLOCK : T.PARAMS_PER_EXAMPLE_WARN,
    });
  }

  const reg = regularisers(config);
  const loop = loopOf(config);

  // Epochs x data size, for models trained in passes.
  const passes = loop ? undefined : spec?.guard.passes?.(cfg);
  const epochs = loop?.epochs ?? passes?.epochs;
  if (epochs !== undefined) {
    const small = train < T.SMALL_DATA_EXAMPLES;
    const warnAt = small ? T.SMALL_DATA_EPOCHS_WARN : T.EPOCHS_WARN;
    const blockAt = small ? T.SMALL_DATA_EPOCHS_BLOCK : T.EPOCHS_BLOCK;
    if (epochs > warnAt) {
      const severity: Severity = reg.earlyStopping || est.kind === 'linear' ? 'info' : epochs > blockAt ? 'block' : 'warn';
      const field = passes?.field ?? 'model.train.epochs';
      out.push({
        rule: 'epochs',
        severity,
        message:
          `${epochs} epochs over ${fmt(train)} examples means each example is seen ${epochs} times (${fmt(epochs * train)} presentations); ` +
          `beyond ${warnAt} epochs${small ? ` on fewer than ${fmt(T.SMALL_DATA_EXAMPLES)} examples` : ''} the extra passes mostly fit noise` +
          (reg.earlyStopping ? ', though early stopping will cut the run short.' : ' and nothing stops the run early.'),
        saferAlternatives: [`${field}: ${T.SAFE_EPOCHS}`, ...(passes?.alternatives ?? ['model.train.earlyStopping: { patience: 2 } (when the model supports it)'])],
        value: epochs,
        threshold: severity === 'block' ? blockAt : warnAt,
      });
    }
  }

  // Learning rate per family and optimizer.
  if (loop) {
    const lora = m.lora as { rank?: unknown } | undefined;
    const family = spec?.guard.lrFamily ?? 'scratch';
    const key = spec?.guard.lrKey?.(cfg) ?? (est.kind === 'unknown' ? (lora ? 'pretrained/lora' : 'pretrained/full') : `${family}/${loop.optimizer}`);
    const r = T.LR_RANGES[key];
    if (r && (loop.lr < r.low || loop.lr > r.high)) {
      const severity: Severity = loop.lr >= r.block ? 'block' : loop.lr > r.high ? 'warn' : 'info';
      out.push({
        rule: 'learning-rate',
        severity,
        message:
          loop.lr < r.low
            ? `Learning rate ${loop.lr} is below the usual range for ${key} (${r.low} to ${r.high}): training will crawl and under-fit.`
            : `Learning rate ${loop.lr} is above the usual range for ${key} (${r.low} to ${r.high})${severity === 'block' ? ' and likely to diverge' : ': training oscillates and settles in sharp minima that generalise worse'}.`,
        saferAlternatives: [`model.train.lr: ${r.safe}`],
        value: loop.lr,
        threshold: loop.lr < r.low ? r.low : severity === 'block' ? r.block : r.high,
      });
    }
  } else {
    const step = spec?.guard.stepSize?.(cfg);
    if (step) out.push({ rule: 'learning-rate', severity: 'warn', ...step });
  }

  // Regularisation, for models that can memorise.
  if ((est.kind === 'neural' || est.kind === 'unknown') && perExample > T.HIGH_CAPACITY_PARAMS_PER_EXAMPLE) {
    const missing = (Object.keys(reg) as (keyof typeof reg)[]).filter((k) => !reg[k]);
    if (missing.length > 0) {
      const none = missing.length === 3;
      const implicit = none ? implicitRegularisation(config, train) : undefined;
      const alts = [];
      if (!reg.earlyStopping) alts.push('model.train.earlyStopping: { patience: 2 } (when the model supports it)');
      if (!reg.dropout) alts.push('model.dropout: 0.1 (when the model supports it)');
      if (!reg.weightDecay) alts.push('model.train.weightDecay: 0.01 (when the model supports it)');
      if (!loop?.labelSmoothing) alts.push('model.train.labelSmoothing: 0.1');
      out.push({
        rule: 'regularisation',
        // Nothing at all on a model above the memorisation bar blocks; a short decaying run is credited.
        severity: none && !implicit && perExample > T.PARAMS_PER_EXAMPLE_WARN ? 'block' : none ? 'warn' : 'info',
        message:
          `A high-capacity model (${fmt(perExample)} parameters per example) is set to train without ${missing.join(', ').replace('weightDecay', 'weight decay').replace('earlyStopping', 'early stopping')}` +
          (implicit ? `; it relies on its ${implicit} alone not to fit the training set too closely.` : none ? ': nothing limits how closely it fits the training set.' : '.'),
        saferAlternatives: alts,
        value: 3 - missing.length,
        threshold: 1,
      });
    }
  } else {
    const weak = spec?.guard.weakPenalty?.(cfg);
    if (weak) out.push({ rule: 'regularisation', severity: 'warn', ...weak });
  }

  // Validation split size per class.
  const perClass = validation / classes;
  if (perClass < T.VALIDATION_PER_CLASS_WARN) {
    const block = perClass < T.VALIDATION_PER_CLASS_BLOCK;
    const alts = [];
    if (config.data.maxValidation !== undefined && config.data.maxValidation < data.validation) alts.push('data.maxValidation: remove it (use the whole validation split)');
    alts.push(`validationFraction at import: ${Math.min(0.5, Math.max(0.1, (T.VALIDATION_PER_CLASS_WARN * classes) / Math.max(1, data.train + data.validation))).toFixed(2)}`);
    out.push({
      rule: 'validation-size',
      severity: block ? 'block' : 'warn',
      message:
        `The validation split has ${fmt(validation)} examples for ${classes} classes (${fmt(perClass)} per class); below ${block ? T.VALIDATION_PER_CLASS_BLOCK : T.VALIDATION_PER_CLASS_WARN} ` +
        'per class, differences between configs are within its noise, so choosing by it fits the validation set.',
      saferAlternatives: alts,
      value: perClass,
      threshold: block ? T.VALIDATION_PER_CLASS_BLOCK : T.VALIDATION_PER_CLASS_WARN,
    });
  }

  // LoRA rank against data size: the family names its rank field (pretrained: model.lora.r).
  const plainRank = (m.lora as { rank?: unknown } | undefined)?.rank;
  const lora = spec?.guard.loraRank ? spec.guard.loraRank(cfg) : typeof plainRank === 'number' ? { rank: plainRank, field: 'model.lora.rank' } : undefined;
  if (lora) {
    const rank = lora.rank;
    const limit = T.LORA_RANK_LIMITS.find((l) => train < l.below)!.maxRank;
    if (rank > limit) {
      const block = rank > limit * T.LORA_RANK_BLOCK_FACTOR;
      out.push({
        rule: 'lora-rank',
        severity: block ? 'block' : 'warn',
        message: `LoRA rank ${rank} is high for ${fmt(train)} training examples (rank ${limit} or less is usually as accurate at this size).`,
        saferAlternatives: [`${lora.field}: ${limit}`],
        value: rank,
        threshold: block ? limit * T.LORA_RANK_BLOCK_FACTOR : limit,
      });
    }
  }

  // Training techniques set far outside their papers' ranges (train/techniques/risks.ts).
  const techniques = (m.train as { techniques?: Techniques } | undefined)?.techniques;
  for (const r of techniqueRisks(techniques)) out.push({ rule: 'techniques', severity: 'warn', ...r });

  // Device memory: a weight the GPU cannot bind, or a peak above the budget, cannot run at all.
  if (opts.device && spec?.guard.deviceMemory) {
    for (const p of spec.guard.deviceMemory(cfg, opts.device, { train, classes })) out.push({ rule: 'device-memory', severity: 'block', ...p });
  }
  return out;
}

/**
 * Stops a run with block findings unless overridden with a reason. Returns the record to store
 * with the run (the findings travel with it, overridden or not).
 */
export function assertConfigSafe(findings: Finding[], override?: { reason: string }): ConfigSafetyRecord {
  const blocks = findings.filter((f) => f.severity === 'block');
  if (override !== undefined) {
    if (typeof override.reason !== 'string' || override.reason.trim() === '') {
      throw new GuardError('Config override refused: give a reason in words (override.reason is empty)', { check: 'override' });
    }
    return { overridden: true, reason: override.reason.trim(), findings };
  }
  if (blocks.length > 0) {
    const lines = blocks.map((f, k) => `${k + 1}. [${f.rule}] ${f.message}${f.saferAlternatives.length ? ` Safer: ${f.saferAlternatives.join('; ')}.` : ''}`);
    throw new GuardError(`Config blocked by ${blocks.length} overfitting check${blocks.length > 1 ? 's' : ''}: ${lines.join(' ')} Override with a stated reason to run anyway.`, {
      findings: blocks,
    });
  }
  return { overridden: false, findings };
}
