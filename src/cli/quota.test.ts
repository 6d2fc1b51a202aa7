import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agNewsSliceDir, agnewsAsync, lastJson } from '../../test/cli-spawn';
import type { BudgetStatus, StorageReport } from '../core/lab/quota-api';

const cache = mkdtempSync(join(tmpdir(), 'agnews-quota-'));
const agnews = (...args: string[]) => agnewsAsync(cache, {}, 120_000, ...args);

/** Bytes of every file under a folder, as the disk holds them. */
function du(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? du(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

describe('agnews budget and quota', () => {
  it('budgets set by one runner call hold for the next; quota counts the store and the run folders named, by kind and item', async () => {
    const set = await agnews('budget', '--per-run', '30m', '--per-day', '2h', '--json');
    expect(set.status, set.stderr).toBe(0);
    expect(lastJson(set.stdout)).toMatchObject({ budgets: { perRunMinutes: 30, perDayMinutes: 120 }, leftSeconds: 1800 });
    const changed = await agnews('budget', '--per-week', '10h', '--per-run', 'off', '--json');
    expect((lastJson(changed.stdout) as BudgetStatus).budgets).toEqual({ perDayMinutes: 120, perWeekMinutes: 600 });
    const bad = await agnews('budget', '--per-day', 'two hours');
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('agnews: --per-day "two hours" is not a duration: use e.g. 90s, 30m, 2h, 1h30m (or off)');

    const data = agNewsSliceDir('agnews-quota-data-', 400, 40);
    const out = join(mkdtempSync(join(tmpdir(), 'agnews-quota-runs-')), 'nb');
    const trained = await agnews('train', '--config', 'configs/quickstart-nb.json', '--data', data, '--out', out);
    expect(trained.status, trained.stderr).toBe(0);
    expect(trained.stderr).toMatch(/Compute budget: 2h left for this run under the per-day compute budget/);

    const q = await agnews('quota', '--runs', out, '--json');
    expect(q.status, q.stderr).toBe(0);
    const { store, storage, budgets } = lastJson(q.stdout) as { store: string; storage: StorageReport; budgets: BudgetStatus };
    expect(store).toBe(join(cache, 'lab'));
    expect(budgets.budgets).toEqual({ perDayMinutes: 120, perWeekMinutes: 600 });
    expect(budgets.usedTodaySeconds).toBeGreaterThan(0);
    const run = storage.items.filter((i) => i.id === out || i.id.startsWith(`${out}#`));
    expect(run.map((i) => [i.kind, i.id]).sort()).toEqual([
      ['checkpoint', `${out}#model`],
      ['run', out],
    ]);
    expect(run.reduce((n, i) => n + i.bytes, 0)).toBe(du(out));
    const stored = storage.items.filter((i) => !run.includes(i)).reduce((n, i) => n + i.bytes, 0);
    expect(stored).toBe(du(join(cache, 'lab')));
    expect(storage.byKind.dataset).toBeGreaterThan(0);

    const text = await agnews('quota', '--runs', out);
    expect(text.stdout).toMatch(/^store {7}.*lab and 1 run folder\n/);
    expect(text.stdout).toMatch(/per day {5}2h {9}\d+s used today \(UTC\)/);
  }, 240_000);
});
