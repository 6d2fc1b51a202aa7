import { describe, expect, it } from 'vitest';
import { misclassified, mostConfusedPairs } from './error-analysis';

const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];
const texts = ['w1', 'w2', 'b1', 'b2', 'b3', 'b4', 's1', 't1'];
const labels = [0, 0, 2, 2, 2, 2, 1, 3];
const probs = [
  [0.9, 0.05, 0.03, 0.02], // right
  [0.2, 0.1, 0.6, 0.1], // World -> Business (0.6)
  [0.1, 0.1, 0.2, 0.6], // Business -> Sci/Tech (0.6)
  [0.1, 0.1, 0.1, 0.7], // Business -> Sci/Tech (0.7)
  [0.05, 0.05, 0.1, 0.8], // Business -> Sci/Tech (0.8)
  [0.1, 0.1, 0.7, 0.1], // right
  [0.1, 0.8, 0.05, 0.05], // right
  [0.1, 0.1, 0.6, 0.2], // Sci/Tech -> Business (0.6)
];

describe('error analysis', () => {
  it('misclassified examples, most confident first (index breaks ties)', () => {
    const m = misclassified(texts, labels, probs, classes);
    expect(m.map((x) => x.text)).toEqual(['b3', 'b2', 'w2', 'b1', 't1']);
    expect(m[0]).toEqual({ index: 4, text: 'b3', label: 'Business', predicted: 'Sci/Tech', confidence: 0.8, trueProbability: 0.1 });
    expect(misclassified(texts, labels, probs, classes, { limit: 2 })).toHaveLength(2);
  });
  it('most confused pairs with counts, rates and up to k examples', () => {
    const pairs = mostConfusedPairs(texts, labels, probs, classes, { examplesPerPair: 2 });
    expect(pairs.map((p) => [p.from, p.to, p.count])).toEqual([
      ['Business', 'Sci/Tech', 3],
      ['World', 'Business', 1],
      ['Sci/Tech', 'Business', 1],
    ]);
    expect(pairs[0].rate).toBe(0.75);
    expect(pairs[0].examples).toEqual(['b3', 'b2']);
    expect(mostConfusedPairs(texts, labels, probs, classes, { top: 1 })).toHaveLength(1);
    expect(() => mostConfusedPairs(texts.slice(1), labels, probs, classes)).toThrow(RangeError);
  });
});
