import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agnewsAsync, agNewsSliceDir, DATA, lastJson } from '../../test/cli-spawn';

const cache = mkdtempSync(join(tmpdir(), 'agnews-cache-'));
const agnews = (...args: string[]) => agnewsAsync(cache, {}, 300_000, ...args);

const present = existsSync(DATA);
if (!present && process.env.CI) throw new Error(`the ensemble CLI tests need ${DATA}, absent under CI`);

const MEMBERS = {
  nb: { type: 'tfidf-nb' },
  logreg: { type: 'tfidf-logreg' },
  ft: { type: 'fasttext', tokenizer: 'fasttext', dim: 16, buckets: 20000, order: 'file', train: { optimizer: 'fasttext-sgd', lr: 0.5, epochs: 5 } },
};

describe.skipIf(!present)('agnews ensemble and cascade', () => {
  it('trains three members on a slice, ensembles them (soft, stacking), cascades them, then predicts, evaluates and reports on the ensemble folder', async () => {
    const data = agNewsSliceDir('agnews-ens-', 1200, 200);
    const root = mkdtempSync(join(tmpdir(), 'agnews-ens-runs-'));
    const dir = (name: string) => join(root, name);
    for (const [name, model] of Object.entries(MEMBERS)) {
      const config = join(root, `${name}.json`);
      writeFileSync(config, JSON.stringify({ name, model }));
      const r = await agnews('train', '--config', config, '--data', data, '--out', dir(name), '--json');
      expect(r.status, r.stderr).toBe(0);
    }
    const members = Object.keys(MEMBERS).map(dir);

    const soft = await agnews('ensemble', '--runs', ...members, '--method', 'soft', '--out', dir('soft'), '--json');
    expect(soft.status, soft.stderr).toBe(0);
    const rec = lastJson(soft.stdout);
    expect(rec).toMatchObject({ run: dir('soft'), model: 'ensemble', family: 'ensemble', backend: 'cpu', ensemble: { method: 'soft' } });
    expect(rec.ensemble.members.map((m: { run: string }) => m.run)).toEqual(members.map((m) => resolve(m)));
    expect(JSON.parse(readFileSync(join(dir('soft'), 'ensemble.json'), 'utf8')).diversity.pairs).toHaveLength(3);

    // A folder of runs expands to its run folders, the ensemble among them: stacking over an ensemble is refused with the reason.
    const refused = await agnews('ensemble', '--runs', root, '--method', 'stacking', '--out', dir('refused'), '--json');
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^agnews: Stacking re-fits every member .*soft cannot \(it is itself an ensemble of runs/);

    const stack = await agnews('ensemble', '--runs', ...members, '--method', 'stacking', '--select', '2', '--out', dir('stack'), '--json');
    expect(stack.status, stack.stderr).toBe(0);
    expect(lastJson(stack.stdout)).toMatchObject({ model: 'ensemble', ensemble: { method: 'stacking', select: 2 } });

    const casc = await agnews('cascade', '--runs', dir('ft'), dir('soft'), '--max-escalation', '0.4', '--out', dir('casc'), '--json');
    expect(casc.status, casc.stderr).toBe(0);
    const c = lastJson(casc.stdout).cascade;
    expect(c.members).toEqual([resolve(dir('ft')), resolve(dir('soft'))]);
    expect(c.escalated).toBeLessThanOrEqual(0.4);
    expect(c.costRatio).toBeGreaterThan(0);

    const p = await agnews('predict', '--run', dir('soft'), '--text', 'Stocks slide as oil climbs', '--json');
    expect(p.status, p.stderr).toBe(0);
    const probs = Object.values(lastJson(p.stdout).predictions[0].probs) as number[];
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);

    const ev = await agnews('eval', '--run', dir('casc'), '--split', 'test', '--purpose', 'cascade check', '--json');
    expect(ev.status, ev.stderr).toBe(0);
    expect(lastJson(ev.stdout)).toMatchObject({ split: 'test', n: 200, guard: { budgetLeft: 4 } });

    const rep = await agnews('report', '--runs', dir('nb'), dir('soft'), dir('stack'), dir('casc'), '--out', dir('report'), '--json');
    expect(rep.status, rep.stderr).toBe(0);
    expect(readFileSync(join(dir('report'), 'results.csv'), 'utf8')).toMatch(/ensemble-stacking/);
  }, 900_000);
});
