import { describe, expect, it } from 'vitest';
import { memoryStore } from '../storage/memory';
import { createLab } from './lab';
import { noisyAgNewsFiles } from '../../../test/noisy-agnews';

describe('predictRoute', () => {
  it("names the cascade stage that answered each text, and that stage's own probabilities are the answer", async () => {
    const l = createLab({ store: memoryStore(), selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [] });
    const meta = await l.importDataset({ kind: 'agnews', files: noisyAgNewsFiles(1200, { test: 100, seed: 777, sharedWords: 6 }) });
    await l.train({ datasetId: meta.id, runId: 'nb', config: { name: 'nb', model: { type: 'tfidf-nb' } } }, () => {});
    await l.train({ datasetId: meta.id, runId: 'logreg', config: { name: 'logreg', model: { type: 'tfidf-logreg' } } }, () => {});
    const record = await l.cascade({ datasetId: meta.id, members: ['nb', 'logreg'], target: { maxEscalation: 0.5 }, runId: 'casc' }, () => {});
    const t = record.cascade!.thresholds[0];

    const texts = ['war troops embassy', 'goal striker league season', 'today says report week', 'shares chip goal war', 'software robot browser'];
    const routed = await l.predictRoute('casc', texts);
    expect(routed.kind).toBe('cascade');
    expect(routed.stages).toEqual(['nb', 'logreg']);
    expect(routed.probs).toEqual((await l.predict('casc', texts)).probs);
    const cheap = (await l.predict('nb', texts)).probs;
    const strong = (await l.predict('logreg', texts)).probs;
    // The rule the cascade itself applies: the cheap member keeps a text when its top probability reaches the threshold.
    const expected = cheap.map((p) => (t !== null && Math.max(...p) >= t ? 0 : 1));
    expect(routed.stage).toEqual(expected);
    routed.stage!.forEach((s, i) => expect(routed.probs[i]).toEqual((s === 0 ? cheap : strong)[i]));
    // Both stages answer some of these texts, so the check above compares both ways.
    expect(new Set(routed.stage)).toEqual(new Set([0, 1]));

    const plain = await l.predictRoute('nb', texts.slice(0, 1));
    expect(plain).toMatchObject({ kind: 'tfidf-nb', classes: ['World', 'Sports', 'Business', 'Sci/Tech'] });
    expect(plain.stage).toBeUndefined();
    await expect(l.predictRoute('missing', ['x'])).rejects.toThrow(/missing/);
    await expect(l.predictRoute('nb', 'text' as unknown as string[])).rejects.toThrow(/texts must be a list of strings/);
  }, 60_000);
});
