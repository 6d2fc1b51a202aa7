/**
 * Where does a model go wrong? The most frequent confusions with example texts, and the
 * misclassifications it was surest about (often label noise or genuinely ambiguous news).
 */
import { argmax } from './metrics';

export interface ConfusedPair {
  from: string;
  to: string;
  count: number;
  /** count / examples whose true class is `from`. */
  rate: number;
  /** Up to k texts, the most confident mistakes first. */
  examples: string[];
}

export interface Misclassified {
  index: number;
  text: string;
  label: string;
  predicted: string;
  /** Probability of the predicted class. */
  confidence: number;
  /** Probability the model gave the true class. */
  trueProbability: number;
}

function check(texts: string[], labels: ArrayLike<number>, probs: ArrayLike<number>[]): void {
  if (texts.length !== labels.length || probs.length !== labels.length) throw new RangeError('error analysis needs one text, label and probability row per example');
}

/** All mistakes, most confident first; index breaks ties so the order is stable. */
export function misclassified(texts: string[], labels: ArrayLike<number>, probs: ArrayLike<number>[], classes: string[], opts: { limit?: number } = {}): Misclassified[] {
  check(texts, labels, probs);
  const out: Misclassified[] = [];
  for (let i = 0; i < labels.length; i++) {
    const p = argmax(probs[i]);
    if (p === labels[i]) continue;
    out.push({ index: i, text: texts[i], label: classes[labels[i]], predicted: classes[p], confidence: probs[i][p], trueProbability: probs[i][labels[i]] });
  }
  out.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  return opts.limit === undefined ? out : out.slice(0, opts.limit);
}

/**
 * Off-diagonal confusion cells sorted by count (then by class order), each with up to
 * `examplesPerPair` example texts. `top` limits how many pairs come back.
 */
export function mostConfusedPairs(
  texts: string[],
  labels: ArrayLike<number>,
  probs: ArrayLike<number>[],
  classes: string[],
  opts: { top?: number; examplesPerPair?: number } = {},
): ConfusedPair[] {
  check(texts, labels, probs);
  const k = classes.length;
  const perExample = opts.examplesPerPair ?? 3;
  const support = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) support[labels[i]]++;
  const cells = new Map<number, Misclassified[]>();
  for (const m of misclassified(texts, labels, probs, classes)) {
    const key = classes.indexOf(m.label) * k + classes.indexOf(m.predicted);
    const list = cells.get(key) ?? [];
    list.push(m);
    cells.set(key, list);
  }
  const pairs = [...cells.entries()]
    .sort(([ka, a], [kb, b]) => b.length - a.length || ka - kb)
    .map(([key, list]): ConfusedPair => {
      const from = Math.floor(key / k);
      return { from: classes[from], to: classes[key % k], count: list.length, rate: list.length / support[from], examples: list.slice(0, perExample).map((m) => m.text) };
    });
  return opts.top === undefined ? pairs : pairs.slice(0, opts.top);
}
