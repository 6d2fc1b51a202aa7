/**
 * fastText's own training algorithm (Joulin et al. 2016; facebookresearch/fastText
 * `Model::update`) in plain TypeScript: one example at a time, softmax loss, SGD with a
 * learning rate decaying linearly to zero over the tokens processed. On a CPU this beats any
 * tensor backend by far, since each update touches only the rows of one text. Same weight
 * layout as the TF.js model; fastText's output layer has no bias, so `b` stays at zero.
 */
import { argmax, macroF1 } from '../../eval/metrics';
import type { Encoded } from '../../train/batches';
import { softenProbabilities, softTargetGradient, type DistillSettings } from '../../train/distill-loss';
import type { TrainEvent } from '../../train/events';
import { CancelledError } from '../../util/errors';
import { Rng } from '../../util/random';

export interface SgdWeights {
  emb: Float32Array; // [rows, dim]
  w: Float32Array; // [dim, k]
  b: Float32Array; // [k]
  dim: number;
  k: number;
}

/**
 * fastText's input matrix initialisation, uniform in ±1/dim (row 0, padding, stays zero).
 * A seeded xorshift32 inline: the table has tens of millions of entries and this is about
 * twice as fast as going through Rng, which matters next to a fit that takes seconds.
 */
export function initInput(rows: number, dim: number, seed: number): Float32Array {
  const e = new Float32Array(rows * dim);
  let x = seed | 0 || 1;
  const scale = 2 / dim / 4294967296;
  const shift = 1 / dim;
  for (let i = dim; i < e.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    e[i] = (x >>> 0) * scale - shift;
  }
  return e;
}

/** Sum of the rows `ids` of `emb` into `out`; two rows per pass halves the loads and stores of `out`. */
function sumRows(emb: Float32Array, ids: Int32Array, dim: number, out: Float64Array): void {
  out.fill(0);
  const n = ids.length;
  let t = 0;
  for (; t + 1 < n; t += 2) {
    const o1 = ids[t] * dim;
    const o2 = ids[t + 1] * dim;
    for (let j = 0; j < dim; j++) out[j] += emb[o1 + j] + emb[o2 + j];
  }
  if (t < n) {
    const o = ids[t] * dim;
    for (let j = 0; j < dim; j++) out[j] += emb[o + j];
  }
}

export function forward(wt: SgdWeights, ids: Int32Array, hidden: Float64Array, scores: Float32Array): void {
  const { emb, w, b, dim, k } = wt;
  sumRows(emb, ids, dim, hidden);
  const inv = ids.length ? 1 / ids.length : 0;
  for (let j = 0; j < dim; j++) hidden[j] *= inv;
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    let s = b[c];
    for (let j = 0; j < dim; j++) s += hidden[j] * w[j * k + c];
    scores[c] = s;
    if (s > max) max = s;
  }
  let z = 0;
  for (let c = 0; c < k; c++) z += scores[c] = Math.exp(scores[c] - max);
  for (let c = 0; c < k; c++) scores[c] /= z;
}

export function predictSgd(wt: SgdWeights, data: Encoded): Float32Array[] {
  const hidden = new Float64Array(wt.dim);
  return data.ids.map((ids) => {
    const p = new Float32Array(wt.k);
    forward(wt, ids, hidden, p);
    return p;
  });
}

export interface SgdOptions {
  epochs: number;
  lr: number;
  seed: number;
  logEvery: number;
  /**
   * 'file': the given order every epoch, as fastText reads its input file; 'shuffle': a new
   * seeded order each epoch.
   */
  order: 'file' | 'shuffle';
  /** Tokens each example counts for the learning-rate decay (fastText counts tokens, not lines); 1 each if absent. */
  tokens?: ArrayLike<number>;
  /** Train the output bias too (fastText's output layer has none). */
  bias?: boolean;
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
  validation?: Encoded;
  /** Distillation: the teacher's probabilities per example (indexed like the data) and the loss settings. */
  distill?: DistillSettings & { probs: ArrayLike<number>[] };
}

/** Per-class gradient of one example's loss in the logits, and the loss, for the soft-target case. */
interface SoftStep {
  target: Float64Array;
  settings: DistillSettings;
  logP: Float64Array;
  dz: Float64Array;
}

/**
 * One SGD step on one example (fastText's Model::update with the softmax loss, or the
 * distillation loss when `soft` is given); returns the example's loss. The async epoch loop
 * around it only orders the examples, decays the learning rate and reports.
 */
function update(wt: SgdWeights, ids: Int32Array, y: number, lr: number, bias: boolean, hidden: Float64Array, grad: Float64Array, p: Float32Array, soft?: SoftStep): number {
  const { emb, w, b, dim, k } = wt;
  forward(wt, ids, hidden, p);
  let loss: number;
  if (soft) {
    // Log-probabilities stand in for the logits: softmax ignores the constant between them.
    for (let c = 0; c < k; c++) soft.logP[c] = Math.log(Math.max(p[c], 1e-30));
    loss = softTargetGradient(soft.logP, y, soft.target, soft.settings, soft.dz);
  } else loss = -Math.log(Math.max(p[y], 1e-15));
  grad.fill(0);
  for (let c = 0; c < k; c++) {
    const alpha = soft ? -lr * soft.dz[c] : lr * ((c === y ? 1 : 0) - p[c]);
    for (let j = 0; j < dim; j++) {
      grad[j] += alpha * w[j * k + c];
      w[j * k + c] += alpha * hidden[j];
    }
    if (bias) b[c] += alpha;
  }
  if (ids.length) {
    const inv = 1 / ids.length;
    for (let j = 0; j < dim; j++) grad[j] *= inv;
    for (let t = 0; t < ids.length; t++) {
      const off = ids[t] * dim;
      for (let j = 0; j < dim; j++) emb[off + j] += grad[j];
    }
  }
  return loss;
}

export async function trainSgd(wt: SgdWeights, data: Encoded, o: SgdOptions): Promise<{ steps: number }> {
  const { dim, k } = wt;
  const n = data.ids.length;
  const rng = new Rng(o.seed);
  const hidden = new Float64Array(dim);
  const grad = new Float64Array(dim);
  const p = new Float32Array(k);
  const total = o.epochs * n;
  const tokens = Float64Array.from(o.tokens ?? new Float64Array(n).fill(1));
  let tokensPerEpoch = 0;
  for (let i = 0; i < n; i++) tokensPerEpoch += tokens[i];
  const totalTokens = o.epochs * tokensPerEpoch;
  const bias = !!o.bias;
  // Softened once per example, not at every visit.
  const targets = o.distill?.probs.map((q) => softenProbabilities(q, o.distill!.temperature));
  const soft = o.distill && { settings: { alpha: o.distill.alpha, temperature: o.distill.temperature }, logP: new Float64Array(k), dz: new Float64Array(k) };
  let tokensDone = 0;
  let done = 0;
  const fileOrder = Array.from({ length: n }, (_, i) => i);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const order = o.order === 'file' ? fileOrder : rng.shuffle(fileOrder.slice());
    const t0 = performance.now();
    let lossSum = 0;
    let correct = 0;
    let windowStart = t0;
    let windowSeen = 0;
    for (let s = 0; s < n; s++) {
      const i = order[s];
      const y = data.labels[i];
      // Linear decay to zero over the tokens of all epochs (fastText's Trainer::trainThread).
      const lr = o.lr * (1 - tokensDone / totalTokens);
      tokensDone += tokens[i];
      lossSum += update(wt, data.ids[i], y, lr, bias, hidden, grad, p, soft && { ...soft, target: targets![i] });
      if (argmax(p) === y) correct++;
      done++;
      windowSeen++;
      if (done % o.logEvery === 0 || s === n - 1) {
        if (o.signal?.aborted) throw new CancelledError();
        const now = performance.now();
        o.onEvent?.({
          type: 'step',
          step: done,
          totalSteps: total,
          epoch,
          totalEpochs: o.epochs,
          loss: lossSum / (s + 1),
          accuracy: correct / (s + 1),
          lr,
          examplesPerSec: (windowSeen * 1000) / Math.max(1e-3, now - windowStart),
        });
        windowStart = now;
        windowSeen = 0;
        // Let the event loop run (progress messages, a cancel request) between chunks.
        await new Promise<void>((r) => setTimeout(r, 0));
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    let validation;
    if (o.validation?.ids.length) {
      const probs = predictSgd(wt, o.validation);
      const pred = probs.map(argmax);
      const vl = probs.reduce((a, q, i) => a - Math.log(Math.max(q[o.validation!.labels[i]], 1e-15)), 0) / probs.length;
      validation = { loss: vl, accuracy: pred.filter((c, i) => c === o.validation!.labels[i]).length / pred.length, macroF1: macroF1(o.validation.labels, pred, k) };
    }
    o.onEvent?.({ type: 'epoch', epoch, step: done, train: { loss: lossSum / n, accuracy: correct / n }, validation, examplesPerSec: n / seconds, seconds });
  }
  return { steps: done };
}
