import { describe, expect, it } from 'vitest';
import { initInput, trainSgd } from './fasttext-sgd';

const softmax = (s: number[]) => {
  const e = s.map((x) => Math.exp(x - Math.max(...s)));
  return e.map((x) => x / e.reduce((a, b) => a + b, 0));
};

describe("fasttext-sgd: fastText's Model::update", () => {
  it('reports progress against the whole run: step of total steps, epoch of total epochs', async () => {
    const wt = { emb: new Float32Array(8), w: new Float32Array(4), b: new Float32Array(2), dim: 2, k: 2 };
    const steps: { step: number; totalSteps?: number; epoch: number; totalEpochs?: number }[] = [];
    const data = { ids: [Int32Array.of(1, 2), Int32Array.of(3), Int32Array.of(0, 3)], labels: Int32Array.of(0, 1, 0) };
    await trainSgd(wt, data, { epochs: 2, lr: 0.1, seed: 1, logEvery: 3, order: 'file', tokens: [3, 2, 3], onEvent: (e) => e.type === 'step' && steps.push(e) });
    expect(steps.map(({ step, totalSteps, epoch, totalEpochs }) => ({ step, totalSteps, epoch, totalEpochs }))).toEqual([
      { step: 3, totalSteps: 6, epoch: 1, totalEpochs: 2 },
      { step: 6, totalSteps: 6, epoch: 2, totalEpochs: 2 },
    ]);
  });

  it('takes the softmax-loss step of fastText (no output bias, lr decayed over tokens)', async () => {
    const dim = 2;
    const k = 2;
    const emb0 = [0, 0, 0.1, -0.2, 0.3, 0.4, -0.5, 0.6]; // rows 0..3
    const w0 = [0.2, -0.1, 0.05, 0.3]; // [dim, k]
    const wt = { emb: Float32Array.from(emb0), w: Float32Array.from(w0), b: new Float32Array(k), dim, k };
    const examples = [Int32Array.of(1, 2), Int32Array.of(3)];
    const labels = Int32Array.of(0, 1);
    await trainSgd(wt, { ids: examples, labels }, { epochs: 1, lr: 0.4, seed: 1, logEvery: 100, order: 'file', tokens: [1, 3] });

    // The same two steps written out: hidden = mean of rows; alpha_c = lr (1[c = y] - p_c);
    // grad += alpha_c w_c (before w_c moves); w_c += alpha_c hidden; each row += grad / n.
    const emb = emb0.slice();
    const w = w0.slice();
    const lrs = [0.4, 0.4 * (1 - 1 / 4)];
    examples.forEach((ids, s) => {
      const hidden = [0, 1].map((j) => ids.reduce((a, r) => a + emb[r * dim + j], 0) / ids.length);
      const p = softmax([0, 1].map((c) => hidden[0] * w[c] + hidden[1] * w[k + c]));
      const grad = [0, 0];
      for (let c = 0; c < k; c++) {
        const alpha = lrs[s] * ((c === labels[s] ? 1 : 0) - p[c]);
        for (let j = 0; j < dim; j++) {
          grad[j] += alpha * w[j * k + c];
          w[j * k + c] += alpha * hidden[j];
        }
      }
      for (const r of ids) for (let j = 0; j < dim; j++) emb[r * dim + j] += grad[j] / ids.length;
    });
    Array.from(wt.emb).forEach((x, i) => expect(x).toBeCloseTo(emb[i], 6));
    Array.from(wt.w).forEach((x, i) => expect(x).toBeCloseTo(w[i], 6));
    expect(Array.from(wt.b)).toEqual([0, 0]);
  });

  it('initialises the input matrix uniformly in ±1/dim, padding row zero, seeded', () => {
    const e = initInput(2000, 10, 7);
    expect(Array.from(e.subarray(0, 10))).toEqual(new Array(10).fill(0));
    const rest = e.subarray(10);
    expect(Math.max(...rest)).toBeLessThanOrEqual(0.1);
    expect(Math.min(...rest)).toBeGreaterThanOrEqual(-0.1);
    expect(Math.abs(rest.reduce((a, b) => a + b, 0) / rest.length)).toBeLessThan(0.005);
    expect(initInput(2000, 10, 7)).toEqual(e);
    expect(initInput(2000, 10, 8)).not.toEqual(e);
  });
});
