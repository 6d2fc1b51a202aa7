import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSearch } from '../core/lab/search-lab';
import { agnewsAsync, agNewsSliceDir, DATA, lastJson } from '../../test/cli-spawn';

const cache = mkdtempSync(join(tmpdir(), 'agnews-cache-'));
const agnews = (...args: string[]) => agnewsAsync(cache, {}, 300_000, ...args);
const present = existsSync(DATA);
if (!present && process.env.CI) throw new Error(`the search CLI tests need ${DATA}, absent under CI`);

describe('shipped search spaces', () => {
  // configs/spaces/search-<preset>.json searches configs/<preset>.json: every value must make a valid config.
  const spaces = readdirSync('configs/spaces').filter((f) => /^search-.+\.json$/.test(f));
  it.each(spaces)('%s fits its preset', (file) => {
    const preset = file.replace(/^search-/, '');
    const config = JSON.parse(readFileSync(join('configs', preset), 'utf8'));
    const space = JSON.parse(readFileSync(join('configs/spaces', file), 'utf8'));
    expect(() => checkSearch({ datasetId: '', config, space, trials: 10 })).not.toThrow();
  });
});

describe.skipIf(!present)('agnews search', () => {
  it('runs a TPE search of quickstart-nb on a slice, keeps the best run folder beside search.json, and refuses a bad space in one line', async () => {
    const data = agNewsSliceDir('agnews-search-', 900, 50);
    const root = mkdtempSync(join(tmpdir(), 'agnews-search-out-'));
    const config = join(root, 'nb.json');
    const preset = JSON.parse(readFileSync('configs/quickstart-nb.json', 'utf8'));
    writeFileSync(config, JSON.stringify({ ...preset, model: { ...preset.model, vectorizer: { char: null } }, guard: { override: { reason: 'CLI test on a 900-row slice' } } }));
    const out = join(root, 'search');
    const r = await agnews(
      'search',
      '--config',
      config,
      '--space',
      'configs/spaces/search-quickstart-nb.json',
      '--trials',
      '3',
      '--data',
      data,
      '--out',
      out,
      '--seed',
      '3',
      '--json',
    );
    expect(r.status, r.stderr).toBe(0);
    const summary = lastJson(r.stdout);
    expect(summary).toMatchObject({ searchId: out, sampler: 'tpe', pruner: 'median', seed: 3, budget: 3, metric: 'accuracy', split: 'validation' });
    expect(summary.trials).toHaveLength(3);
    expect(summary.bestRunId).toBe(join(out, `trial-${String(summary.best.number).padStart(3, '0')}`));
    expect(summary.kept).toEqual([summary.bestRunId]);
    expect(r.stderr).toMatch(/trial 3 of 3: \{"model.alpha":/);
    expect(r.stderr).toMatch(/trial 3 accuracy 0\.\d{4} in [\d.]+ s \| best 0\.\d{4} \(trial \d\) \| 3 of 3 done/);
    // The best trial is an ordinary run folder: its record, its config with the trial's settings.
    const result = JSON.parse(readFileSync(join(summary.bestRunId, 'result.json'), 'utf8'));
    expect(result.validation.accuracy).toBe(summary.best.value);
    expect(JSON.parse(readFileSync(join(summary.bestRunId, 'config.json'), 'utf8')).model.alpha).toBe(summary.best.params['model.alpha']);
    expect(JSON.parse(readFileSync(join(out, 'search.json'), 'utf8')).bestRunId).toBe(summary.bestRunId);
    expect(readdirSync(out).sort()).toEqual(['search.json', summary.bestRunId.slice(out.length + 1)]);

    const again = await agnews('search', '--config', config, '--space', 'configs/spaces/search-quickstart-nb.json', '--trials', '3', '--data', data, '--out', out);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toMatch(/already holds a search: choose another folder, or pass --force/);

    const space = join(root, 'bad-space.json');
    writeFileSync(space, JSON.stringify({ 'model.alpha': { low: 1, high: 0.1 } }));
    const bad = await agnews('search', '--config', config, '--space', space, '--trials', '3', '--data', data, '--out', join(root, 'bad'));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/model.alpha: low \(1\) must be below high \(0.1\)/);
    expect(existsSync(join(root, 'bad'))).toBe(false);
  });
});
