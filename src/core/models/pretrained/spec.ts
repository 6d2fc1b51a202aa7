/**
 * The pretrained tier's spec: one config type, `pretrained`, for every encoder and adaptation
 * method. Sizes come from the base's shape (memory.ts); the guard reads the learning-rate range
 * of the method, the LoRA rank, and the device-memory refusal from here.
 */
import type { ModelSpec } from '../spec';
import { pretrainedSchema, type PretrainedConfig } from './config';
import { PretrainedEstimator } from './estimator';
import { memoryProblems, pretrainedSizes } from './memory';
import { pretrainedTraits } from './traits';

export const pretrainedSpec: ModelSpec<PretrainedConfig> = {
  ...pretrainedTraits,
  types: ['pretrained'],
  schemas: [pretrainedSchema],
  create: (cfg) => new PretrainedEstimator(cfg),
  load: (a, env) => PretrainedEstimator.load(a, env),
  estimate(cfg, data) {
    const s = pretrainedSizes(cfg, data.classes);
    return { count: s.trainable, exact: false, kind: 'unknown', basis: s.basis };
  },
  memory(cfg, data) {
    const s = pretrainedSizes(cfg, data.classes);
    return { weightBytes: s.weightBytes, trainingBytes: s.peakBytes };
  },
  // A pretrained encoder's capacity is not its trainable count: the guard treats it as the largest.
  capacity: () => 'unknown',
  trainsOn: () => 'tensors',
  predictsOn: () => 'tensors',
  guard: {
    shrink(cfg) {
      const alts =
        cfg.method === 'lora'
          ? [`model.lora.r: ${Math.max(1, cfg.lora.r >> 1)}`]
          : cfg.method === 'adapter'
            ? [cfg.adapter.size ? `model.adapter.size: ${Math.max(1, cfg.adapter.size >> 1)}` : `model.adapter.reduction: ${cfg.adapter.reduction * 2}`]
            : ['model.method: "lora" (adapt the encoder instead of tuning every weight)'];
      if (cfg.method === 'full') alts.push('model.freeze: { "embeddings": true, "layers": 6 }');
      return alts;
    },
    // Without an override the checkpoint's config.json dropout applies (0.1 in BERT-family checkpoints).
    impliedDropout: (cfg) => cfg.dropout === undefined || cfg.dropout > 0,
    lrKey: (cfg) => `pretrained/${cfg.method}`,
    loraRank: (cfg) => (cfg.method === 'lora' ? { rank: cfg.lora.r, field: 'model.lora.r' } : undefined),
    lrDecaysToZero: (cfg) => cfg.train.schedule !== 'constant',
    deviceMemory: (cfg, limits, data) => memoryProblems(cfg, data.classes, limits),
  },
};
