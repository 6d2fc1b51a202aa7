/**
 * Sizes of a pretrained config before anything is downloaded: parameters (all, and what the
 * method trains), the largest single weight, and the peak memory of a training step, counted
 * from the base's config.json shape through the architecture's own weight list. Known bases
 * carry their shape here (the figures of their Hub config.json; checked against
 * ../shared/models/shapes by the tests); an unknown base is assumed BERT-base sized.
 */
import { adapterModules, bottleneckSize, trainsLayerNorm } from './adapters';
import { architectureFor } from './architectures';
import type { PretrainedConfig } from './config';
import { ia3Defaults } from './ia3';
import { isSavedModule, isTarget, linearModules } from './peft-match';
import type { HfConfig } from './types';

const BERT_BASE: HfConfig = {
  model_type: 'bert',
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  max_position_embeddings: 512,
  type_vocab_size: 2,
};

/** config.json shapes of common bases, by the last segment of the id (revision aside). */
export const KNOWN_SHAPES: Readonly<Record<string, HfConfig>> = {
  'bert-base-uncased': BERT_BASE,
  'distilbert-base-uncased': { model_type: 'distilbert', vocab_size: 30522, dim: 768, n_layers: 6, n_heads: 12, hidden_dim: 3072, max_position_embeddings: 512 },
  'all-MiniLM-L6-v2': {
    model_type: 'bert',
    vocab_size: 30522,
    hidden_size: 384,
    num_hidden_layers: 6,
    num_attention_heads: 12,
    intermediate_size: 1536,
    max_position_embeddings: 512,
    type_vocab_size: 2,
  },
  'roberta-base': {
    model_type: 'roberta',
    vocab_size: 50265,
    hidden_size: 768,
    num_hidden_layers: 12,
    num_attention_heads: 12,
    intermediate_size: 3072,
    max_position_embeddings: 514,
    type_vocab_size: 1,
    pad_token_id: 1,
  },
  'deberta-v3-base': {
    model_type: 'deberta-v2',
    vocab_size: 128100,
    hidden_size: 768,
    num_hidden_layers: 12,
    num_attention_heads: 12,
    intermediate_size: 3072,
    max_position_embeddings: 512,
    type_vocab_size: 0,
    relative_attention: true,
    position_buckets: 256,
    max_relative_positions: -1,
    norm_rel_ebd: 'layer_norm',
    share_att_key: true,
    pos_att_type: ['p2c', 'c2p'],
    position_biased_input: false,
  },
  // The shared test fixture (../shared/models/tiny-bert).
  'tiny-bert': {
    model_type: 'bert',
    vocab_size: 30522,
    hidden_size: 32,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    intermediate_size: 64,
    max_position_embeddings: 64,
    type_vocab_size: 2,
  },
};

/** The known shape of a base address (`hf:OWNER/NAME[@REV]` or `file:.../NAME`), if any. */
export function knownShape(base: string): HfConfig | undefined {
  const name = base.replace(/@.*$/, '').replace(/\/+$/, '').split('/').pop() ?? '';
  return KNOWN_SHAPES[name];
}

export interface PretrainedSizes {
  /** Every parameter of the classifier. */
  total: number;
  /** What the method trains (after freezing). */
  trainable: number;
  /** The word-embedding table and the largest single weight, in bytes (float32). */
  embeddingBytes: number;
  largest: { name: string; bytes: number };
  /** Weights + gradients and AdamW's two moments of the trainable set + activations of one step. */
  peakBytes: number;
  weightBytes: number;
  activationBytes: number;
  /** True when the shape is the base's own; false for the BERT-base guess. */
  exact: boolean;
  basis: string;
}

const hidden = (c: HfConfig) => Number(c.hidden_size ?? c.dim);
const layers = (c: HfConfig) => Number(c.num_hidden_layers ?? c.n_layers);
const heads = (c: HfConfig) => Number(c.num_attention_heads ?? c.n_heads);
const ffn = (c: HfConfig) => Number(c.intermediate_size ?? c.hidden_dim);

/**
 * Activations a step keeps for its backward pass, per layer and example, in float32: about 16
 * hidden-sized and 2 feed-forward-sized vectors per token (projections, residuals, LayerNorm
 * inputs, dropout masks, GELU input), and 3 length x length maps per head (scores, softmax,
 * attention dropout), as in Korthikanti et al. 2022's count, scaled to 4-byte floats.
 */
export function activationBytes(c: HfConfig, batch: number, length: number): number {
  const perLayer = length * (16 * hidden(c) + 2 * ffn(c)) + 3 * heads(c) * length * length;
  return 4 * batch * layers(c) * perLayer;
}

export function pretrainedSizes(cfg: PretrainedConfig, classes: number, shape?: HfConfig): PretrainedSizes {
  const known = shape ?? knownShape(cfg.base);
  const c = known ?? BERT_BASE;
  const arch = architectureFor(c);
  const shapes = arch.weightShapes!(c, classes);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  let total = 0;
  let largest = { name: '', bytes: 0 };
  for (const [name, s] of Object.entries(shapes)) {
    total += size(s);
    if (4 * size(s) > largest.bytes) largest = { name, bytes: 4 * size(s) };
  }
  const frozen = (name: string) => (cfg.freeze.embeddings && /embeddings\./.test(name)) || Number(/\.layer\.(\d+)\./.exec(name)?.[1] ?? Infinity) < cfg.freeze.layers;
  const head = ['classifier', 'score'];
  const linear = linearModules(new Map(Object.entries(shapes).map(([n, s]) => [n, { rank: s.length }])));
  let trainable = 0;
  if (cfg.method === 'full') for (const [n, s] of Object.entries(shapes)) trainable += frozen(n) ? 0 : size(s);
  else {
    for (const [n, s] of Object.entries(shapes))
      if (
        isSavedModule(n, head) ||
        (!frozen(n) && ((cfg.method === 'bitfit' && n.endsWith('.bias')) || (cfg.method === 'adapter' && cfg.adapter.trainLayerNorms && trainsLayerNorm(n))))
      )
        trainable += size(s);
    // A bottleneck adapter per wrapped output: down [size, hidden] + size, up [hidden, size] + hidden.
    if (cfg.method === 'adapter')
      for (const m of adapterModules(linear, cfg.adapter.placement).filter((x) => !frozen(`${x}.weight`))) {
        const width = shapes[`${m}.weight`][0];
        const b = bottleneckSize(width, cfg.adapter);
        trainable += 2 * width * b + b + width;
      }
    for (const m of linear.filter((x) => !isSavedModule(`${x}.weight`, head) && !frozen(`${x}.weight`))) {
      const [out, inp] = shapes[`${m}.weight`];
      if (cfg.method === 'lora' && isTarget(m, cfg.lora.targetModules ?? arch.defaultLoraTargets)) trainable += cfg.lora.r * (inp + out);
      if (cfg.method === 'ia3') {
        const d = ia3Defaults(c.model_type);
        if (d && isTarget(m, d.targets)) trainable += d.feedforward.some((f) => m.endsWith(f)) ? inp : out;
      }
    }
  }
  const embeddingBytes = 4 * size(shapes[`${arch.prefix}.embeddings.word_embeddings.weight`] ?? [0]);
  const weightBytes = 4 * total;
  const length = Math.min(cfg.maxLength, Number(c.max_position_embeddings ?? cfg.maxLength));
  const acts = activationBytes(c, cfg.train.batchSize, length);
  return {
    total,
    trainable,
    embeddingBytes,
    largest,
    weightBytes,
    activationBytes: acts,
    peakBytes: weightBytes + 3 * 4 * trainable + acts,
    exact: !!known,
    basis: `${known ? c.model_type : 'unknown base, assumed BERT-base'}: ${layers(c)} layers x hidden ${hidden(c)}, vocabulary ${c.vocab_size}; ${cfg.method} trains ${trainable.toLocaleString('en')} of ${total.toLocaleString('en')} parameters`,
  };
}

/** WebGPU's default maxStorageBufferBindingSize (the spec's minimum), when the adapter's is unknown. */
export const DEFAULT_MAX_BINDING = 128 * 1024 * 1024;

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;

/** Why a config would not fit the device, with the figures and what would. */
export function memoryProblems(
  cfg: PretrainedConfig,
  classes: number,
  limits: { maxStorageBufferBindingSize?: number; memoryBudget?: number },
): { message: string; saferAlternatives: string[]; value: number; threshold: number }[] {
  const s = pretrainedSizes(cfg, classes);
  const out: ReturnType<typeof memoryProblems> = [];
  const binding = limits.maxStorageBufferBindingSize ?? DEFAULT_MAX_BINDING;
  if (s.largest.bytes > binding) {
    out.push({
      message: `${cfg.base}: the weight ${s.largest.name} takes ${mb(s.largest.bytes)} (the word-embedding table ${mb(s.embeddingBytes)}), above this device's largest storage buffer (${mb(binding)}); the GPU cannot bind it.`,
      saferAlternatives: [
        'a base with a smaller vocabulary or hidden size (e.g. hf:sentence-transformers/all-MiniLM-L6-v2)',
        'the wasm or cpu backend (no binding limit)',
        'an adapter that grants a larger maxStorageBufferBindingSize',
      ],
      value: s.largest.bytes,
      threshold: binding,
    });
  }
  if (limits.memoryBudget !== undefined && s.peakBytes > limits.memoryBudget) {
    const fits = (patch: Partial<PretrainedConfig> & { train?: Partial<PretrainedConfig['train']> }) =>
      pretrainedSizes({ ...cfg, ...patch, train: { ...cfg.train, ...patch.train } }, classes).peakBytes <= limits.memoryBudget!;
    const alts: string[] = [];
    if (cfg.method === 'full' && fits({ method: 'lora' })) alts.push('model.method: "lora"');
    for (let b = cfg.train.batchSize >> 1; b >= 1; b >>= 1)
      if (fits({ train: { ...cfg.train, batchSize: b } })) {
        alts.push(`model.train.batchSize: ${b} with model.train.accumulate: ${Math.ceil(cfg.train.batchSize / b) * cfg.train.accumulate} (same effective batch)`);
        break;
      }
    for (let l = cfg.maxLength >> 1; l >= 16; l >>= 1)
      if (fits({ maxLength: l })) {
        alts.push(`model.maxLength: ${l}`);
        break;
      }
    out.push({
      message: `${cfg.base} (${cfg.method}) needs about ${mb(s.peakBytes)} at its peak (weights ${mb(s.weightBytes)}, gradients and AdamW state of ${s.trainable.toLocaleString('en')} trainable parameters ${mb(12 * s.trainable)}, activations for batch ${cfg.train.batchSize} x length ${cfg.maxLength} ${mb(s.activationBytes)}), above the memory budget of ${mb(limits.memoryBudget)}.`,
      saferAlternatives: alts.length ? alts : ['a smaller base model'],
      value: s.peakBytes,
      threshold: limits.memoryBudget,
    });
  }
  return out;
}
