/** Headline classification metrics from true labels and predicted labels or probabilities. */

export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

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

/** Per-class precision/recall/F1; a class never predicted and never present scores 0 (as scikit-learn's zero_division=0). */
export function perClass(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): ClassScores[] {
  const cm = confusionMatrix(yTrue, yPred, k);
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

export function macroF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number {
  const pc = perClass(yTrue, yPred, k);
  return pc.reduce((a, s) => a + s.f1, 0) / k;
}

/** Mean negative log-likelihood of the true class, probabilities clipped at 1e-15 as scikit-learn does. */
export function logLoss(yTrue: ArrayLike<number>, probs: ArrayLike<number>[]): number {
  if (yTrue.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s -= Math.log(Math.min(1 - 1e-15, Math.max(1e-15, probs[i][yTrue[i]])));
  return s / yTrue.length;
}

export function summarize(yTrue: ArrayLike<number>, probs: ArrayLike<number>[], k: number) {
  const yPred = probs.map(argmax);
  return { accuracy: accuracy(yTrue, yPred), macroF1: macroF1(yTrue, yPred, k), loss: logLoss(yTrue, probs), perClass: perClass(yTrue, yPred, k) };
}
