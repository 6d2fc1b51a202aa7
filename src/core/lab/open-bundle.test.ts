import { describe, expect, it } from 'vitest';
import { memoryStore } from '../storage/memory';
import { createLab } from './lab';

const enc = new TextEncoder();
const rows = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => {
    const k = (i + from) % 4;
    const words = [
      ['war', 'troops'],
      ['goal', 'league'],
      ['shares', 'profit'],
      ['chip', 'software'],
    ][k];
    return `"${k + 1}","${words[0]} ${i + from}","${words[1]} report"`;
  }).join('\n');
const files = () => [
  { name: 'train.csv', bytes: enc.encode(rows(400)) },
  { name: 'test.csv', bytes: enc.encode(rows(40, 400)) },
  { name: 'classes.txt', bytes: enc.encode('World\nSports\nBusiness\nSci/Tech\n') },
];
const newLab = () => createLab({ store: memoryStore(), selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [] });

describe('openBundle', () => {
  it('keeps an exported run bundle as a run of another lab, which then predicts exactly as the original; opening it again is the same run', async () => {
    const from = newLab();
    const meta = await from.importDataset({ kind: 'agnews', files: files() });
    await from.train({ datasetId: meta.id, runId: 'nb', config: { name: 'nb', model: { type: 'tfidf-nb' } } }, () => {});
    const bundle = (await from.exportModel('nb', 'bundle')).files;

    const to = newLab();
    expect(await to.openBundle(bundle, 'http://host/nb/')).toBe('nb');
    expect((await to.listRuns()).map((r) => [r.runId, r.status])).toEqual([['nb', 'done']]);
    const texts = ['troops and war', 'league goal tonight'];
    expect((await to.predict('nb', texts)).probs).toEqual((await from.predict('nb', texts)).probs);
    expect(await to.openBundle(bundle)).toBe('nb');

    // The terminal names a run by its folder's path: stored here under that folder's name and the result's hash.
    const cli = bundle.map((f) =>
      f.path === 'run.json' ? { ...f, bytes: enc.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(f.bytes)), runId: 'runs/out/nb 1' })) } : f,
    );
    const renamed = await to.openBundle(cli);
    expect(renamed).toMatch(/^bundle-nb-1-[0-9a-f]{8}$/);
    expect(await to.openBundle(cli)).toBe(renamed);
    expect((await to.getRun(renamed)).runId).toBe(renamed);
    expect((await to.predict(renamed, texts)).probs).toEqual((await from.predict('nb', texts)).probs);
  });

  it('refuses an incomplete or foreign bundle with the missing piece named, and writes nothing', async () => {
    const from = newLab();
    const meta = await from.importDataset({ kind: 'agnews', files: files() });
    await from.train({ datasetId: meta.id, runId: 'nb', config: { name: 'nb', model: { type: 'tfidf-nb' } } }, () => {});
    const bundle = (await from.exportModel('nb', 'bundle')).files;
    const to = newLab();
    const without = (path: string) => bundle.filter((f) => f.path !== path);
    await expect(to.openBundle(without('run.json'), 'http://host/x/')).rejects.toThrow('http://host/x/: not a run bundle (run.json missing)');
    await expect(to.openBundle(without('result.json'))).rejects.toThrow(/result\.json missing/);
    const shard = bundle.find((f) => f.path.startsWith('checkpoints/') && f.path.endsWith('.safetensors'))!.path;
    await expect(to.openBundle(without(shard))).rejects.toThrow(`not a complete run bundle (${shard} missing)`);
    const running = bundle.map((f) =>
      f.path === 'run.json' ? { ...f, bytes: enc.encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(f.bytes)), status: 'running' })) } : f,
    );
    await expect(to.openBundle(running)).rejects.toThrow(/not finished \(status "running"\)/);
    expect(await to.listRuns()).toEqual([]);
    // A different run under the same id is not overwritten.
    await to.importDataset({ kind: 'agnews', files: files() });
    const other = (await to.listDatasets())[0].id;
    await to.train({ datasetId: other, runId: 'nb', config: { name: 'nb', model: { type: 'tfidf-logreg' } } }, () => {});
    await expect(to.openBundle(bundle)).rejects.toThrow(/already has a different run nb/);
    expect((await to.getRun('nb')).model).toBe('tfidf-logreg');
  });
});
