/**
 * Headline classification metrics from true labels and predicted labels or probabilities.
 * Labels are class indices 0..k-1; probability rows are in the same class order.
 */

/** Index of the largest entry; ties go to the lowest index so results never depend on float noise in the order. */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** Rows are true classes, columns predicted classes. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length === 0) return 0;
  let c = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) c++;
  return c / yTrue.length;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class scores from a confusion matrix, so bootstrap resamples can reuse a matrix built from indices. */
export function perClassFromConfusion(cm: number[][]): ClassScores[] {
  return cm.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = cm.reduce((a, r) => a + r[c], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

/** Per-class precision/recall/F1; a class never predicted and never present scores 0 (as scikit-learn's zero_division=0). */
export function perClass(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): ClassScores[] {
  return perClassFromConfusion(confusionMatrix(yTrue, yPred, k));
}

export interface MacroScores {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Classes the macro averages cover: those that occur as a true or a predicted label, as
 * scikit-learn's macro average does (labels = unique_labels(y_true, y_pred)). A class named in
 * classes.txt but absent from both would add a 0 and drag the mean down for no reason.
 */
export function macroClassesFromConfusion(cm: number[][]): number[] {
  return cm.map((_, c) => c).filter((c) => cm[c].some((v) => v > 0) || cm.some((row) => row[c] > 0));
}

/** Unweighted means over the classes present: every topic counts the same whatever its support. */
export function macroScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): MacroScores {
  const cm = confusionMatrix(yTrue, yPred, k);
  const pc = perClassFromConfusion(cm);
  const present = macroClassesFromConfusion(cm);
  const mean = (f: (s: ClassScores) => number) => (present.length ? present.reduce((a, c) => a + f(pc[c]), 0) / present.length : 0);
  return { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) };
}

export function macroF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number {
  return macroScores(yTrue, yPred, k).f1;
}

/** Macro F1 straight from a confusion matrix (the bootstrap's inner loop), over the classes present. */
export function macroF1FromConfusion(cm: number[][]): number {
  const pc = perClassFromConfusion(cm);
  const present = macroClassesFromConfusion(cm);
  return present.length ? present.reduce((a, c) => a + pc[c].f1, 0) / present.length : 0;
}

const CLIP = 1e-15;

/** Negative log-likelihood of the true class for one example, clipped at 1e-15 as scikit-learn does. */
export function exampleLogLoss(label: number, row: ArrayLike<number>): number {
  return -Math.log(Math.min(1 - CLIP, Math.max(CLIP, row[label])));
}

/** Mean negative log-likelihood of the true class. */
export function logLoss(yTrue: ArrayLike<number>, probs: ArrayLike<number>[]): number {
  if (yTrue.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += exampleLogLoss(yTrue[i], probs[i]);
  return s / yTrue.length;
}

/** sum_k (p_k - y_k)^2 for one example, y one-hot; ranges over [0, 2]. */
export function exampleBrier(label: number, row: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < row.length; k++) {
    const d = row[k] - (k === label ? 1 : 0);
    s += d * d;
  }
  return s;
}

/**
 * Multiclass Brier score (Brier 1950): mean over examples of sum_k (p_k - y_k)^2. Unlike log
 * loss it stays finite when a confident prediction is wrong, so one outlier cannot dominate.
 */
export function brierScore(yTrue: ArrayLike<number>, probs: ArrayLike<number>[]): number {
  if (yTrue.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += exampleBrier(yTrue[i], probs[i]);
  return s / yTrue.length;
}

/**
 * Rank of the true class: classes scoring strictly higher, plus equal ones with a lower index.
 * The tie rule matches argmax, so top-1 accuracy equals accuracy exactly.
 */
export function trueClassRank(label: number, row: ArrayLike<number>): number {
  const p = row[label];
  let rank = 0;
  for (let k = 0; k < row.length; k++) if (row[k] > p || (row[k] === p && k < label)) rank++;
  return rank;
}

/** Fraction of examples whose true class is among the k most probable. */
export function topKAccuracy(yTrue: ArrayLike<number>, probs: ArrayLike<number>[], k: number): number {
  if (yTrue.length === 0) return 0;
  let c = 0;
  for (let i = 0; i < yTrue.length; i++) if (trueClassRank(yTrue[i], probs[i]) < k) c++;
  return c / yTrue.length;
}

export function summarize(yTrue: ArrayLike<number>, probs: ArrayLike<number>[], k: number) {
  const yPred = probs.map(argmax);
  return { accuracy: accuracy(yTrue, yPred), macroF1: macroF1(yTrue, yPred, k), loss: logLoss(yTrue, probs), perClass: perClass(yTrue, yPred, k) };
}
