import { describe, expect, it } from 'vitest';
import { memoryStore } from '../storage/memory';
import { createLab } from './lab';

const enc = new TextEncoder();
const WORDS = [
  ['war', 'minister', 'election', 'troops', 'embassy', 'rebels'],
  ['match', 'goal', 'league', 'coach', 'season', 'striker'],
  ['shares', 'market', 'profit', 'stocks', 'merger', 'earnings'],
  ['software', 'chip', 'internet', 'computer', 'browser', 'robot'],
];
const SHARED = ['today', 'report', 'new', 'says', 'week', 'after'];

/** Four classes with shared and borrowed words, so the cheap member is unsure of some texts and the cascade escalates them. */
function agnewsFiles(n: number, test = 100) {
  let s = 777;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const rows = Array.from({ length: n }, (_, i) => {
    const k = i % 4;
    const words = Array.from({ length: 6 }, () => {
      const r = rand();
      return r < 0.35 ? pick(WORDS[k]) : r < 0.55 ? pick(WORDS[(k + 1 + Math.floor(rand() * 3)) % 4]) : pick(SHARED);
    });
    return `"${k + 1}","${words.slice(0, 3).join(' ')}","${words.slice(3).join(' ')} ${i}"`;
  });
  return [
    { name: 'train.csv', bytes: enc.encode(rows.slice(0, n - test).join('\n')) },
    { name: 'test.csv', bytes: enc.encode(rows.slice(n - test).join('\n')) },
    { name: 'classes.txt', bytes: enc.encode('World\nSports\nBusiness\nSci/Tech\n') },
  ];
}

describe('predictRoute', () => {
  it("names the cascade stage that answered each text, and that stage's own probabilities are the answer", async () => {
    const l = createLab({ store: memoryStore(), selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [] });
    const meta = await l.importDataset({ kind: 'agnews', files: agnewsFiles(1200) });
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
