import { describe, expect, it } from 'vitest';
import { Rng } from '../util/random';
import type { Predictor } from './efficiency';
import { charNoise, perturbTexts, PERTURBATIONS, robustnessReport, typos, wordDrop } from './robustness';

const texts = ['Stocks rally as markets rebound on strong earnings', 'Striker scores twice in the derby win', 'New chip doubles battery life of phones'];
const sorted = (s: string) => Array.from(s).sort().join('');

/** Classifies by keywords, so corrupted keywords cost accuracy. */
const keywordModel: Predictor = {
  async predictProba(batch: string[]) {
    return batch.map((t) => {
      const s = t.toLowerCase();
      const k = /stocks|markets|earnings/.test(s) ? 0 : /striker|derby|scores/.test(s) ? 1 : /chip|battery|phones/.test(s) ? 2 : 0;
      return Float32Array.from([0, 1, 2], (i) => (i === k ? 0.9 : 0.05));
    });
  },
};

describe('perturbations', () => {
  it('are deterministic for a seed and differ across seeds', () => {
    for (const kind of PERTURBATIONS) {
      const a = perturbTexts(texts, kind, { seed: 42, rate: 0.3 });
      expect(perturbTexts(texts, kind, { seed: 42, rate: 0.3 })).toEqual(a);
      expect(perturbTexts(texts, kind, { seed: 43, rate: 0.3 })).not.toEqual(a);
      expect(a).not.toEqual(texts);
      // Independent of the rest of the list: a text perturbs the same way alone.
      expect(perturbTexts(texts.slice(0, 1), kind, { seed: 42, rate: 0.3 })[0]).toBe(a[0]);
    }
  });
  it('rate 0 changes nothing', () => {
    for (const kind of PERTURBATIONS) expect(perturbTexts(texts, kind, { seed: 1, rate: 0 })).toEqual(texts);
    expect(() => perturbTexts(texts, 'typos', { seed: 1, rate: 1.5 })).toThrow(RangeError);
  });
  it('typos only swap adjacent letters; rate 1 swaps every other pair', () => {
    const t = typos(texts[0], 0.5, new Rng(3));
    expect(sorted(t)).toBe(sorted(texts[0]));
    expect(t.length).toBe(texts[0].length);
    expect(typos('abcd efg', 1, new Rng(1))).toBe('badc feg');
  });
  it('character noise substitutes or deletes, never touching spaces', () => {
    const t = charNoise(texts[1], 1, new Rng(5));
    expect(t.split(' ').length).toBe(texts[1].split(' ').length);
    expect(t.length).toBeLessThan(texts[1].length);
    expect(t).toMatch(/^[a-z ]+$/);
  });
  it('word drop removes whole words and keeps at least one', () => {
    const t = wordDrop(texts[2], 0.5, new Rng(2));
    for (const w of t.split(' ')) expect(texts[2].split(' ')).toContain(w);
    expect(wordDrop('one two three', 1, new Rng(1)).split(' ')).toHaveLength(1);
  });
});

describe('robustness report', () => {
  it('reports clean accuracy, each perturbation and the drop', async () => {
    const examples = texts.map((text, label) => ({ text, label }));
    const r = await robustnessReport(keywordModel, examples, { seed: 7, rate: 0.5 });
    expect(r).toMatchObject({ n: 3, seed: 7, rate: 0.5, clean: 1 });
    expect(r.perturbations.map((p) => p.kind)).toEqual(['typos', 'char-noise', 'word-drop']);
    for (const p of r.perturbations) expect(p.drop).toBeCloseTo(r.clean - p.accuracy, 12);
    expect(Math.max(...r.perturbations.map((p) => p.drop))).toBeGreaterThan(0);
    expect(await robustnessReport(keywordModel, examples, { seed: 7, rate: 0.5 })).toEqual(r);
  });
});
