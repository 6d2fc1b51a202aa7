import { describe, expect, it } from 'vitest';
import { CLASSICAL_KINDS, type ClassicalKind } from './config';
import { createClassical, loadClassical } from './spec';
import { TOY_CLASSES, argmax, toyExamples } from './fixtures';
import { CancelledError } from '../../util/errors';

const train = toyExamples(12);
const ctx = { classes: TOY_CLASSES, seed: 7 };
const probes = ['the striker scored a goal in the cup match', 'shares fell as investors sold stock', 'new google browser for linux computer'];

// Calibration folds need a few examples per class; the toy set has 12.
const paramsFor: Record<ClassicalKind, Record<string, unknown>> = {
  'tfidf-nb': {},
  'tfidf-logreg': { C: 10 },
  'tfidf-svm': { C: 1 },
  'tfidf-sgd': { alpha: 1e-3, epochs: 30 },
};

describe.each(CLASSICAL_KINDS)('%s', (kind) => {
  it('learns the toy topics; probabilities sum to 1', async () => {
    const e = createClassical(kind, paramsFor[kind]);
    const s = await e.fit(train, ctx);
    expect(s.epochs).toBeGreaterThan(0);
    const P = await e.predictProba(probes);
    expect(P.map(argmax)).toEqual([0, 1, 2]);
    for (const p of P) {
      expect(p.length).toBe(3);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    expect(e.parameterCount()).toBeGreaterThan(0);
    expect(e.family).toBe('classical');
    expect(e.kind).toBe(kind);
  });

  it('round-trips through save/load with identical probabilities', async () => {
    const e = createClassical(kind, paramsFor[kind]);
    await e.fit(train, ctx);
    const a = await e.save();
    // Simulate storage: meta goes through JSON, tensors are copied.
    const stored = { kind: a.kind, meta: JSON.parse(JSON.stringify(a.meta)), tensors: structuredClone(a.tensors) };
    const f = loadClassical(stored);
    const texts = [...probes, 'completely unseen words here', ''];
    expect(await f.predictProba(texts)).toEqual(await e.predictProba(texts));
    expect(f.parameterCount()).toBe(e.parameterCount());
  });

  it('keeps clean: false through save/load, so the markup is tokenised as in training', async () => {
    // The toy topics with feed markup on one side: `quot` marks sport, `lt b gt` marks business.
    const marked = train.map((e) => ({ ...e, text: e.label === 0 ? `${e.text} quot;score quot;` : e.label === 1 ? `&lt;b&gt;${e.text}&lt;/b&gt;` : e.text }));
    const e = createClassical(kind, { ...paramsFor[kind], vectorizer: { clean: false } });
    await e.fit(marked, ctx);
    const a = await e.save();
    const f = loadClassical({ kind: a.kind, meta: JSON.parse(JSON.stringify(a.meta)), tensors: structuredClone(a.tensors) });
    expect(f.vectorizer.config.clean).toBe(false);
    const names = new Set([...Array(f.vectorizer.numFeatures).keys()].map((j) => f.vectorizer.featureName(j)));
    expect(names.has('quot')).toBe(true);
    const texts = ['quot;final quot; &lt;b&gt;result&lt;/b&gt;', ...probes];
    expect(await f.predictProba(texts)).toEqual(await e.predictProba(texts));
  });

  it('is deterministic for a fixed seed', async () => {
    const a = createClassical(kind, paramsFor[kind]);
    const b = createClassical(kind, paramsFor[kind]);
    await a.fit(train, ctx);
    await b.fit(train, ctx);
    expect(await a.predictProba(probes)).toEqual(await b.predictProba(probes));
  });

  it('names class-typical top features', async () => {
    const e = createClassical(kind, paramsFor[kind]);
    await e.fit(train, ctx);
    const top = e.topFeatures(5);
    expect(top.map((t) => t.class)).toEqual(TOY_CLASSES);
    const sportsWords = top[0].features.map((f) => f.feature).join(' ');
    expect(sportsWords).toMatch(/goal|match|team|coach|league|striker|season|cup/);
  });

  it('is cancellable through the AbortSignal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(createClassical(kind, paramsFor[kind]).fit(train, { ...ctx, signal: ac.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('class weights and options', () => {
  it('accepts balanced and explicit weights', async () => {
    const unbalanced = train.filter((e, i) => e.label !== 0 || i % 3 === 0);
    for (const classWeight of ['balanced', [1, 2, 3]] as const) {
      const e = createClassical('tfidf-logreg', { classWeight });
      await e.fit(unbalanced, ctx);
      expect((await e.predictProba(probes)).map(argmax)).toEqual([0, 1, 2]);
    }
  });

  it('complement NB and calibrated NB work', async () => {
    const c = createClassical('tfidf-nb', { complement: true });
    await c.fit(train, ctx);
    expect((await c.predictProba(probes)).map(argmax)).toEqual([0, 1, 2]);
    const iso = createClassical('tfidf-svm', { calibration: { method: 'isotonic', ensemble: false } });
    await iso.fit(train, ctx);
    expect((await iso.predictProba(probes)).map(argmax)).toEqual([0, 1, 2]);
    expect(iso.members.length).toBe(1);
  });

  it('gives its probabilities before calibration when it calibrates, and null when it does not', async () => {
    const cal = createClassical('tfidf-svm', { C: 1, calibration: { method: 'sigmoid', cv: 2, ensemble: false } });
    await cal.fit(train, ctx);
    const u = await cal.uncalibratedProba(probes);
    expect(u?.method).toBe('sigmoid');
    // One refitted member: before calibration its probabilities are the softmax of its scores.
    const s = cal.decisionFunction(cal.transform(probes));
    const K = TOY_CLASSES.length;
    u!.probs.forEach((p, i) => {
      const row = Array.from(s.subarray(i * K, i * K + K));
      const z = row.reduce((a, v) => a + Math.exp(v), 0);
      row.forEach((v, k) => expect(p[k]).toBeCloseTo(Math.exp(v) / z, 6));
    });
    expect(Array.from(u!.probs[0])).not.toEqual(Array.from((await cal.predictProba(probes))[0]));
    const plain = createClassical('tfidf-nb', {});
    await plain.fit(train, ctx);
    expect(await plain.uncalibratedProba(probes)).toBeNull();
  });

  it('reports progress events', async () => {
    const phases = new Set<string>();
    const e = createClassical('tfidf-svm', {});
    await e.fit(train, { ...ctx, onEvent: (ev) => ev.type === 'phase' && phases.add(ev.phase) });
    expect(phases.has('calibration:fold')).toBe(true);
    expect(phases.has('fit:svm')).toBe(true);
  });
});
