import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agnewsAsync, agNewsSliceDir, DATA, lastJson } from '../../test/cli-spawn';

const cache = mkdtempSync(join(tmpdir(), 'agnews-cache-'));
const agnews = (...args: string[]) => agnewsAsync(cache, {}, 300_000, ...args);
const present = existsSync(DATA);
if (!present && process.env.CI) throw new Error(`the distill CLI tests need ${DATA}, absent under CI`);

/** A preset as it is, with the guard's override: a 900-example slice is far below what the presets are sized for. */
function onSlice(dir: string, preset: string): string {
  const config = { ...JSON.parse(readFileSync(`configs/${preset}.json`, 'utf8')), guard: { override: { reason: 'CLI test on a 900-example slice' } } };
  const path = join(dir, `${preset}.json`);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

describe.skipIf(!present)('agnews distill', () => {
  it('distils a tfidf-logreg teacher into fasttext-cpu (with its baseline) and into a TF.js fastText, and predicts with the student', async () => {
    const data = agNewsSliceDir('agnews-distill-', 1000, 50);
    const root = mkdtempSync(join(tmpdir(), 'agnews-run-'));
    const teacherDir = join(root, 'teacher');
    const t = await agnews('train', '--config', onSlice(root, 'tfidf-logreg'), '--data', data, '--out', teacherDir, '--json');
    expect(t.status, t.stderr).toBe(0);
    const teacher = lastJson(t.stdout);

    const out = join(root, 'student');
    const d = await agnews(
      'distill',
      '--teacher',
      teacherDir,
      '--config',
      onSlice(root, 'fasttext-cpu'),
      '--alpha',
      '0.3',
      '--temperature',
      '4',
      '--data',
      data,
      '--out',
      out,
      '--json',
    );
    expect(d.status, d.stderr).toBe(0);
    const r = lastJson(d.stdout);
    const baseline = JSON.parse(readFileSync(join(`${out}-baseline`, 'result.json'), 'utf8'));
    expect(r).toMatchObject({ run: out, model: 'fasttext', backend: 'cpu', config: 'fasttext-cpu' });
    expect(baseline).toMatchObject({ run: `${out}-baseline`, config: 'fasttext-cpu-baseline', seed: r.seed });
    expect(r.distill).toEqual({
      teacher: teacherDir,
      teacherModel: 'tfidf-logreg',
      alpha: 0.3,
      temperature: 4,
      teacherAccuracy: teacher.validation.accuracy,
      retention: r.validation.accuracy / teacher.validation.accuracy,
      baseline: { run: `${out}-baseline`, accuracy: baseline.validation.accuracy, gain: r.validation.accuracy - baseline.validation.accuracy },
    });
    expect(statSync(join(out, 'teacher-train.f32')).size).toBe(r.data.train * 4 * 4);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).distill).toEqual({ teacher: teacherDir, alpha: 0.3, temperature: 4 });
    expect(d.stderr).toMatch(/Distilling .*teacher \(tfidf-logreg/);

    const p = await agnews('predict', '--run', out, '--text', 'Stocks rally as oil prices fall', '--json');
    expect(p.status, p.stderr).toBe(0);
    expect(Object.keys(lastJson(p.stdout).predictions[0].probs)).toHaveLength(4);

    // A neural student on the tensor backend, without a baseline.
    const neural = join(root, 'neural');
    const n = await agnews(
      'distill',
      '--teacher',
      teacherDir,
      '--config',
      onSlice(root, 'quickstart-fasttext'),
      '--no-baseline',
      '--data',
      data,
      '--out',
      neural,
      '--backend',
      'cpu',
      '--json',
    );
    expect(n.status, n.stderr).toBe(0);
    const nr = lastJson(n.stdout);
    expect(nr.distill).toMatchObject({ teacher: teacherDir, alpha: 0.5, temperature: 2 });
    expect(nr.distill.baseline).toBeUndefined();
    expect(existsSync(`${neural}-baseline`)).toBe(false);

    // Refusals: one line each, nothing trained.
    const again = await agnews('distill', '--teacher', teacherDir, '--config', onSlice(root, 'fasttext-cpu'), '--data', data, '--out', out, '--json');
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toMatch(/^agnews: --out .*student already holds a run: .*--force/);
    const bad = await agnews('distill', '--teacher', teacherDir, '--config', 'configs/fasttext-cpu.json', '--alpha', '1.5', '--data', data, '--out', join(root, 'x'));
    expect(bad.stderr.trim()).toMatch(/^agnews: --alpha must be a number from 0 to 1/);
    const classical = await agnews('distill', '--teacher', teacherDir, '--config', onSlice(root, 'tfidf-nb'), '--data', data, '--out', join(root, 'y'));
    expect(classical.stderr.trim()).toMatch(/^agnews: .*learns from labels only/);
    expect(existsSync(join(root, 'y', 'run.json'))).toBe(false);
  }, 900_000);
});
