import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { balancedWeights, hardLoss, rdropLoss, resolveClassWeights, symmetricKl, type HardLossOptions } from './losses';

// Hand values (plain Python floats, math.exp/log) for these logits and labels 0 and 2.
const LOGITS = [
  [1.0, 2.0, 0.5],
  [0.3, -1.0, 2.0],
];
const LABELS = [0, 2];
const CE = 0.8366947753265026;
const FOCAL2 = 0.4364514822083301;

const plain: HardLossOptions = { labelSmoothing: 0, gamma: 0, normalize: 'weights' };
const value = (f: () => tf.Tensor) => {
  const t = f();
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};
const oneHot = () => tf.oneHot(tf.tensor1d(LABELS, 'int32'), 3).toFloat() as tf.Tensor2D;

/** Central differences of a scalar function of a [2, 3] tensor against its analytic gradient. */
function checkGradient(f: (x: tf.Tensor2D) => tf.Scalar, at: number[][]) {
  const x = tf.tensor2d(at);
  const g = tf.grad((t: tf.Tensor) => f(t as tf.Tensor2D))(x);
  const analytic = g.arraySync() as number[][];
  tf.dispose([x, g]);
  const eps = 1e-2;
  at.forEach((row, i) =>
    row.forEach((_, j) => {
      const shifted = (d: number) => value(() => tf.tidy(() => f(tf.tensor2d(at.map((r, a) => r.map((v, b) => (a === i && b === j ? v + d : v)))))));
      const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
      expect(Math.abs(numeric - analytic[i][j]), `d/dx[${i}][${j}]: ${numeric} vs ${analytic[i][j]}`).toBeLessThan(2e-3 + 1e-2 * Math.abs(analytic[i][j]));
    }),
  );
}

describe('hard-label loss: focal, class weights, smoothing', () => {
  it('is the cross-entropy at gamma 0, the hand-computed focal loss at gamma 2', () => {
    expect(value(() => hardLoss(tf.tensor2d(LOGITS), oneHot(), plain))).toBeCloseTo(CE, 5);
    expect(value(() => hardLoss(tf.tensor2d(LOGITS), oneHot(), { ...plain, gamma: 2 }))).toBeCloseTo(FOCAL2, 5);
    // TF.js's own cross-entropy, label smoothing included, is the same at gamma 0.
    const ref = value(() => tf.losses.softmaxCrossEntropy(oneHot(), tf.tensor2d(LOGITS), undefined, 0.1));
    expect(value(() => hardLoss(tf.tensor2d(LOGITS), oneHot(), { ...plain, labelSmoothing: 0.1 }))).toBeCloseTo(ref, 5);
  });

  it("class weights average as PyTorch's CrossEntropyLoss(weight); focal alpha averages over examples", () => {
    const w = [0.5, 1, 3];
    // sum_i w[y_i] CE_i / sum_i w[y_i]
    expect(value(() => hardLoss(tf.tensor2d(LOGITS), oneHot(), { ...plain, classWeights: w }))).toBeCloseTo(0.38835619762547235, 5);
    expect(value(() => hardLoss(tf.tensor2d(LOGITS), oneHot(), { ...plain, gamma: 2, classWeights: w, normalize: 'count' }))).toBeCloseTo(0.22752144674418956, 5);
  });

  it('mixed targets give the mix of the two cross-entropies', () => {
    const lam = 0.3;
    const mixed = tf.tensor2d([
      [lam, 0, 1 - lam],
      [1 - lam, 0, lam],
    ]);
    const z = tf.tensor2d(LOGITS);
    const l = tf.logSoftmax(z).arraySync() as number[][];
    const expected = -(lam * l[0][0] + (1 - lam) * l[0][2] + (1 - lam) * l[1][0] + lam * l[1][2]) / 2;
    expect(value(() => hardLoss(z, mixed, plain))).toBeCloseTo(expected, 5);
    tf.dispose([mixed, z]);
  });

  it('gradients match finite differences (focal, weights, smoothing)', () => {
    const targets = [
      [0.2, 0, 0.8],
      [0, 1, 0],
    ];
    checkGradient((x) => hardLoss(x, tf.tensor2d(targets), { labelSmoothing: 0.1, gamma: 2, classWeights: [0.5, 2, 1], normalize: 'weights' }), LOGITS);
    checkGradient((x) => hardLoss(x, tf.tensor2d(targets), { labelSmoothing: 0, gamma: 1.5, classWeights: [0.5, 2, 1], normalize: 'count' }), LOGITS);
  });
});

describe('R-Drop', () => {
  const a = [1.0, 2.0, 0.5];
  const b = [0.0, 1.0, 1.0];
  it('symmetric KL and the loss of a fixed pair of logits equal the hand values', () => {
    expect(value(() => symmetricKl(tf.tensor2d([a]), tf.tensor2d([b])))).toBeCloseTo(0.21155581131407228, 5);
    expect(value(() => symmetricKl(tf.tensor2d([a, b]), tf.tensor2d([a, b])))).toBeCloseTo(0, 6);
    const loss = value(() =>
      tf.tidy(() => {
        const z1 = tf.tensor2d([a]);
        const z2 = tf.tensor2d([b]);
        const y = tf.tensor2d([[0, 1, 0]]);
        return rdropLoss(hardLoss(z1, y, plain), hardLoss(z2, y, plain), z1, z2, 0.7);
      }),
    );
    expect(loss).toBeCloseTo(0.8112708620029485, 5);
  });

  it('gradient of the symmetric KL matches finite differences', () => {
    checkGradient((x) => symmetricKl(x, tf.tensor2d([b, a])), [a, [0.2, -0.4, 1.1]]);
  });
});

describe('class weights', () => {
  it("'balanced' is scikit-learn's n / (K * count)", () => {
    expect(balancedWeights([0, 0, 0, 1, 2, 2], 3)).toEqual([6 / 9, 6 / 3, 6 / 6]);
    expect(resolveClassWeights('balanced', [0, 1, 1, 1], 2, 'f')).toEqual([2, 4 / 6]);
  });
  it('refuses a list of the wrong length, or a class with no example', () => {
    expect(() => resolveClassWeights([1, 2], [0, 1, 2], 3, 'model.train.techniques.classWeights')).toThrow(/classWeights: 2 weights for 3 classes/);
    expect(() => balancedWeights([0, 0, 2], 3)).toThrow(/class 1 has no training example/);
  });
});
