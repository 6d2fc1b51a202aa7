/**
 * Sizes of a pretrained config before anything is downloaded: parameters (all, and what the
 * method trains), the largest single weight, and the peak memory of a training step, counted
 * from the base's config.json shape through the architecture's own weight list. Known bases
 * carry their shape in known-shapes.ts (the figures of their Hub config.json; checked against
 * ../shared/models/shapes by the tests); an unknown base is assumed BERT-base sized.
 */
import { adapterModules, bottleneckSize, trainsLayerNorm } from './adapters';
import { architectureFor } from './architectures';
import type { PretrainedConfig } from './config';
import { ia3Defaults } from './ia3';
import { isSavedModule, isTarget, linearModules } from './peft-match';
import type { HfConfig } from './types';
import { KNOWN_SHAPES, knownShape } from './known-shapes';

const BERT_BASE = KNOWN_SHAPES['bert-base-uncased'];

export interface PretrainedSizes {
  /** Every parameter of the classifier. */
  total: number;
  /** What the method trains (after freezing). */
  trainable: number;
  /** The word-embedding table and the largest single weight, in bytes (float32). */
  embeddingBytes: number;
  largest: { name: string; bytes: number };
  /**
   * Weights and their packed copies, gradients and AdamW's two moments of the trainable set, and
   * the larger of a step's activations (freed when the gradients are computed) and the optimizer's
   * new weight and moments of its largest tensor (allocated after that).
   */
  peakBytes: number;
  weightBytes: number;
  /**
   * On WASM, XNNPACK keeps a packed copy of every weight a non-transposed matMul multiplies by for
   * as long as the weight lives: the backward pass's input gradient through each linear module
   * (a measured 170 MiB more heap after 180 MiB of [3072, 768] weights were multiplied so). The
   * WebGPU and CPU backends keep none, so there the peak is overstated by this much.
   */
  packedBytes: number;
  activationBytes: number;
  /** The fused AdamW kernel's new weight, m and v of the largest trainable tensor. */
  optimizerBytes: number;
  /** True when the shape is the base's own; false for the BERT-base guess. */
  exact: boolean;
  basis: string;
}

const hidden = (c: HfConfig) => Number(c.hidden_size ?? c.dim);
const layers = (c: HfConfig) => Number(c.num_hidden_layers ?? c.n_layers);
const heads = (c: HfConfig) => Number(c.num_attention_heads ?? c.n_heads);
const ffn = (c: HfConfig) => Number(c.intermediate_size ?? c.hidden_dim);

/**
 * What one training step holds at its peak besides the weights, counted per layer and token (in
 * float32 values) from the encoders' own ops, because TF.js keeps far more than PyTorch does:
 *
 * - Forward, until the backward pass ends: every tensor a kernel's gradient saves (its
 *   inputsToSave / outputsToSave). ctx.dense is matMul then a bias add then a reshape, which
 *   saves both the product and the sum; tf.dropout saves its uniform draw, its floored mask,
 *   the scaled mask and its output; a LayerNorm (tf.moments, then centre, scale, shift) saves
 *   its input, the deviation and its square, the centred, normalised and scaled values and its
 *   output; the erf GELU saves five F-wide tensors besides its input.
 * - Backward: tape.ts keeps every input gradient it computes (and each accumulated sum) until
 *   the whole backward pass returns, so each op on the path from the trained weights to the loss
 *   leaves one more tensor of its input's size; adds and reshapes pass the incoming gradient on
 *   without a copy.
 *
 * Per BERT-family layer that is, with hidden H, feed-forward F, and heads x L x L score maps:
 *   forward  36 H (input 1, q/k/v product + sum + transposed 9, merged context 1, the
 *            attention and FFN output projections' product + sum 4, two hidden dropouts 2 x 4,
 *            two residual sums 2, two LayerNorms 5 inside each + LN1's output 1) + 7 F (product, sum, GELU 5) + 7 maps (product,
 *            scaled, softmax, dropout 4);
 *   backward 31 H (q/k/v input gradients 3 + their 2 sums, q/k/v transposes 3, dq and dk 2,
 *            dv 1, context transpose 1, output input-gradient 1, FFN input gradient 1 + its sum
 *            with the residual 1, two dropouts 2, two LayerNorms 7 each) + 7 F (GELU 6, output
 *            input-gradient 1) + 4 maps (scale, softmax, dropout, probabilities).
 * Without dropout each hidden dropout keeps 4 H fewer forward and 1 H fewer backward, and the
 * attention dropout 4 maps and 1 map fewer. DeBERTa's disentangled attention (relative
 * positions over 2 x span buckets) keeps 5 more maps forward and 4 more backward (the c2p and
 * p2c terms, their scaling, the mask's select), 4 forward and 4 backward maps L x 2 span wide
 * (the position scores before and after the transpose, and the gathers' gradients), and per
 * layer, whatever the batch, 6 forward and 6 backward [2 span, H] position projections.
 * The embeddings keep about 14 H forward and 10 H backward per token, once.
 */
export interface ActivationOptions {
  /** Dropout active (training with a nonzero probability). */
  dropout: boolean;
  /**
   * LoRA-wrapped modules per layer: 7 H forward (its input dropout 4, B's product, the scaled and
   * the summed output) and 4 H backward (the scale, A's input gradient, the dropout and one more
   * sum into the input's gradient); without its dropout 3 H forward and 3 H backward.
   */
  loraModules?: number;
  loraDropout?: boolean;
}

export function activationBytes(c: HfConfig, batch: number, length: number, o: ActivationOptions = { dropout: true }): number {
  const h = hidden(c);
  const f = ffn(c);
  const deberta = c.model_type === 'deberta-v2' && c.relative_attention === true;
  const buckets = Number(c.position_buckets ?? -1);
  const span = deberta ? (buckets > 0 ? buckets : Number(c.max_relative_positions ?? -1) > 0 ? Number(c.max_relative_positions) : Number(c.max_position_embeddings ?? 512)) : 0;
  const d = o.dropout ? 1 : 0;
  const lora = (o.loraModules ?? 0) * ((o.loraDropout ?? true) ? 11 : 6);
  const hiddenVectors = 36 + 31 - 2 * 5 * (1 - d) + lora;
  const ffnVectors = 7 + 7;
  const maps = 7 + 4 - 5 * (1 - d) + (deberta ? 9 : 0);
  const perToken = h * hiddenVectors + f * ffnVectors + heads(c) * length * (maps + (deberta ? (8 * (2 * span)) / length : 0));
  const perLayerFixed = deberta ? 12 * 2 * span * h : 0;
  const embeddings = 24 * h * batch * length;
  return 4 * (layers(c) * (batch * length * perToken + perLayerFixed) + embeddings);
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
  const loraModules =
    cfg.method === 'lora'
      ? linear.filter((m) => /\.0\./.test(m) && !isSavedModule(`${m}.weight`, head) && isTarget(m, cfg.lora.targetModules ?? arch.defaultLoraTargets)).length
      : 0;
  const dropout = cfg.dropout === undefined ? Number(c.hidden_dropout_prob ?? c.dropout ?? 0.1) > 0 : cfg.dropout > 0;
  const techniques = cfg.train.techniques;
  // R-Drop differentiates through two dropout passes at once: both passes' activations live until the backward pass.
  const acts = activationBytes(c, cfg.train.batchSize, length, { dropout, loraModules, loraDropout: cfg.lora.dropout > 0 }) * (techniques.rdrop ? 2 : 1);
  // Adversarial training holds the clean pass's gradients while it takes the perturbed pass, and the perturbation itself.
  const adversarialBytes = techniques.adversarial ? 4 * trainable + 4 * cfg.train.batchSize * length * hidden(c) : 0;
  // The backward pass multiplies by every linear weight above the frozen layers (its input gradient).
  const layerOf = (name: string) => Number(/\.layer\.(\d+)\./.exec(name)?.[1] ?? Infinity);
  let packed = 0;
  for (const m of linear) if (layerOf(m) >= cfg.freeze.layers) packed += size(shapes[`${m}.weight`]);
  let largestTrainable = 0;
  for (const [n, s] of Object.entries(shapes)) if (cfg.method === 'full' ? !frozen(n) : isSavedModule(n, head)) largestTrainable = Math.max(largestTrainable, size(s));
  const optimizerBytes = 3 * 4 * largestTrainable;
  return {
    total,
    trainable,
    embeddingBytes,
    largest,
    weightBytes,
    packedBytes: 4 * packed,
    activationBytes: acts,
    optimizerBytes,
    peakBytes: weightBytes + 4 * packed + 3 * 4 * trainable + Math.max(acts, optimizerBytes) + adversarialBytes,
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
  // A budget alone is a backend without storage buffers (WASM's heap): nothing to bind. With no
  // limits at all the device is unknown, and WebGPU's default binding limit is assumed.
  const binding = limits.maxStorageBufferBindingSize ?? (limits.memoryBudget === undefined ? DEFAULT_MAX_BINDING : Infinity);
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
      message: `${cfg.base} (${cfg.method}) needs about ${mb(s.peakBytes)} at its peak (weights ${mb(s.weightBytes)} and their packed copies ${mb(s.packedBytes)}, gradients and AdamW state of ${s.trainable.toLocaleString('en')} trainable parameters ${mb(12 * s.trainable)}, activations for batch ${cfg.train.batchSize} x length ${cfg.maxLength} ${mb(s.activationBytes)}), above the memory budget of ${mb(limits.memoryBudget)}.`,
      saferAlternatives: alts.length ? alts : ['a smaller base model'],
      value: s.peakBytes,
      threshold: limits.memoryBudget,
    });
  }
  return out;
}
