/**
 * fastText's own training algorithm (Joulin et al. 2016; facebookresearch/fastText
 * `Model::update`) in plain TypeScript: one example at a time, softmax loss, SGD with a
 * learning rate decaying linearly to zero. On a CPU this beats any tensor backend by far, since
 * each update touches only the rows of one text. Same weight layout as the TF.js model.
 */
import { argmax, macroF1 } from '../../eval/metrics';
import type { Encoded } from '../../train/batches';
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

export function forward(wt: SgdWeights, ids: Int32Array, hidden: Float32Array, scores: Float32Array): void {
  const { emb, w, b, dim, k } = wt;
  hidden.fill(0);
  for (let t = 0; t < ids.length; t++) {
    const o = ids[t] * dim;
    for (let j = 0; j < dim; j++) hidden[j] += emb[o + j];
  }
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
  const hidden = new Float32Array(wt.dim);
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
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
  validation?: Encoded;
}

export async function trainSgd(wt: SgdWeights, data: Encoded, o: SgdOptions): Promise<{ steps: number }> {
  const { emb, w, b, dim, k } = wt;
  const n = data.ids.length;
  const rng = new Rng(o.seed);
  const hidden = new Float32Array(dim);
  const grad = new Float32Array(dim);
  const p = new Float32Array(k);
  const total = o.epochs * n;
  let done = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
    const t0 = performance.now();
    let lossSum = 0;
    let correct = 0;
    let windowStart = t0;
    let windowSeen = 0;
    for (let s = 0; s < n; s++) {
      const i = order[s];
      const ids = data.ids[i];
      const y = data.labels[i];
      const lr = o.lr * (1 - done / total);
      forward(wt, ids, hidden, p);
      lossSum -= Math.log(Math.max(p[y], 1e-15));
      if (argmax(p) === y) correct++;
      grad.fill(0);
      for (let c = 0; c < k; c++) {
        const alpha = lr * ((c === y ? 1 : 0) - p[c]);
        for (let j = 0; j < dim; j++) {
          grad[j] += alpha * w[j * k + c];
          w[j * k + c] += alpha * hidden[j];
        }
        b[c] += alpha;
      }
      if (ids.length) {
        const inv = 1 / ids.length;
        for (let t = 0; t < ids.length; t++) {
          const off = ids[t] * dim;
          for (let j = 0; j < dim; j++) emb[off + j] += grad[j] * inv;
        }
      }
      done++;
      windowSeen++;
      if (done % o.logEvery === 0 || s === n - 1) {
        if (o.signal?.aborted) throw new CancelledError();
        const now = performance.now();
        o.onEvent?.({ type: 'step', step: done, totalSteps: total, epoch, loss: lossSum / (s + 1), accuracy: correct / (s + 1), lr, examplesPerSec: (windowSeen * 1000) / Math.max(1e-3, now - windowStart) });
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
