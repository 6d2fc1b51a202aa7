/**
 * The techniques' step on the tiny encoders (CPU backend, dropout 0 so every pass is the same
 * function): FGM's perturbation of the embedding output is epsilon * g / ||g|| with g computed
 * here by hand (the gradient of the cross-entropy in the embedding output, through a hook that
 * replaces it), and the step's gradients are the clean ones plus those at the perturbed input.
 */
// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropy, gradients, type Batch } from './finetune';
import { tinyModels } from './fixtures';
import { EncoderModel, withDropout, type ForwardOptions } from './model';
import { taskLoss } from './technique-step';

const tiny = tinyModels(fs);
const MODELS = ['tiny-bert', 'tiny-distilbert', 'tiny-roberta', 'tiny-electra', 'tiny-deberta-v3'].filter((m) => fs.existsSync(`../shared/models/${m}/train-reference.json`));
const EPSILON = 0.5;

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

async function setUp(name: string) {
  const ref = tiny.trainReference(name);
  const ckpt = await tiny.load(name);
  const model = new EncoderModel(ckpt.architecture, withDropout(ckpt.config, 0), ckpt.weights);
  const batch: Batch = {
    inputIds: tf.tensor2d(ref.batch.input_ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(ref.batch.attention_mask, undefined, 'int32'),
    labels: tf.tensor1d(ref.batch.labels, 'int32'),
  };
  return { model, batch };
}

/** Parameter gradients of the cross-entropy with `hooks` on the pass, by weight name. */
function paramGrads(model: EncoderModel, batch: Batch, hooks?: ForwardOptions['hooks']): Map<string, Float32Array> {
  const names = [...model.weights.keys()];
  const byVar = new Map(names.map((n) => [model.weights.get(n)!.name, n]));
  const { value, grads } = tf.variableGrads(() => crossEntropy(model.forward(batch, { training: true, hooks }).logits, batch.labels), [...model.weights.values()]);
  const out = new Map(Object.entries(grads).map(([v, g]) => [byVar.get(v)!, g.dataSync() as Float32Array]));
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

describe.skipIf(!tiny.present)('FGM on the embedding output (CPU backend)', { timeout: 120_000 }, () => {
  for (const name of MODELS) {
    it(`${name}: r = epsilon * g / ||g|| by hand; gradients = clean + at the perturbed input; tensors released`, async () => {
      const { model, batch } = await setUp(name);
      // g by hand: the embedding output of a plain pass, then the loss's gradient in it with the hook replacing it.
      let embedded: tf.Tensor | undefined;
      tf.tidy(() => void model.forward(batch, { training: true, hooks: { embeddings: (x) => (embedded = tf.keep(x.clone())) } }));
      const gTensor = tf.grad((e: tf.Tensor) => crossEntropy(model.forward(batch, { training: true, hooks: { embeddings: () => e } }).logits, batch.labels))(embedded!);
      const g = gTensor.dataSync() as Float32Array;
      const norm = Math.sqrt(g.reduce((a, x) => a + x * x, 0));
      const expected = Float32Array.from(g, (x) => (EPSILON * x) / norm);

      // The perturbation the step adds: each pass's embedding hook applied to zeros, read as the step runs.
      const forward = model.forward.bind(model);
      const seen: Float32Array[] = [];
      model.forward = (inputs, opts) => {
        if (opts?.hooks?.embeddings) {
          const r = tf.tidy(() => opts.hooks!.embeddings!(tf.zerosLike(embedded!)));
          seen.push(r.dataSync() as Float32Array);
          r.dispose();
        }
        return forward(inputs, opts);
      };
      const before = tf.memory().numTensors;
      const step = gradients(model, batch, { trainable: model.weights, techniques: { adversarial: { method: 'fgm', epsilon: EPSILON, alpha: 0.3, steps: 1 } } });
      model.forward = forward;
      expect(seen).toHaveLength(2);
      expect(Math.max(...seen[0].map(Math.abs))).toBe(0);
      expect(maxDiff(seen[1], expected)).toBeLessThan(1e-6);

      const clean = paramGrads(model, batch);
      const r = tf.tensor(expected, embedded!.shape);
      const adv = paramGrads(model, batch, { embeddings: (x) => tf.add(x, r) });
      r.dispose();
      expect([...step.grads.keys()].sort()).toEqual([...clean.keys()].sort());
      for (const [n, gr] of step.grads) {
        const want = Float32Array.from(clean.get(n)!, (x, i) => x + adv.get(n)![i]);
        expect(maxDiff(gr.dataSync(), want), n).toBeLessThan(1e-5);
      }
      // The reported loss is the clean one.
      const plain = tf.tidy(() => crossEntropy(model.forward(batch, { training: true }).logits, batch.labels).dataSync()[0]);
      expect(Math.abs(step.loss.dataSync()[0] - plain)).toBeLessThan(1e-6);
      tf.dispose([step.loss, step.correct, ...step.grads.values()]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([gTensor, embedded!, ...Object.values(batch)]);
      model.dispose();
    });
  }
});

describe('the task loss', () => {
  it('is the cross-entropy with nothing on, and with a teacher and focal gamma 0 the distillation loss', () => {
    const logits = tf.tensor2d([
      [2, -1, 0.5],
      [0.1, 0.3, -2],
    ]);
    const labels = tf.tensor1d([0, 2], 'int32');
    const teacher = {
      probs: tf.tensor2d([
        [0.7, 0.2, 0.1],
        [0.1, 0.1, 0.8],
      ]),
      settings: { alpha: 0.3, temperature: 2 },
    };
    const ce = crossEntropy(logits, labels).dataSync()[0];
    expect(taskLoss(logits, labels, {}).dataSync()[0]).toBeCloseTo(ce, 6);
    const distilled = taskLoss(logits, labels, {}, teacher).dataSync()[0];
    const focal0 = taskLoss(logits, labels, { hard: { labelSmoothing: 0, gamma: 0, normalize: 'count' } }, teacher).dataSync()[0];
    expect(focal0).toBeCloseTo(distilled, 6);
    // Mixing a batch with itself (lambda 1) changes nothing.
    const self = taskLoss(logits, labels, { mix: { lambda: 1, partner: Int32Array.of(1, 0) } }, teacher).dataSync()[0];
    expect(self).toBeCloseTo(distilled, 6);
  });
});
