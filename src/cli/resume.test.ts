import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNodeLab } from '../platform/node/node-lab';
import { requestFor } from '../platform/node/data-source';

const DATA = '../shared/data/ag_news';

/** A run stopped after its first checkpoint, in a run folder, continued by `agnews train --resume`. */
const present = existsSync(DATA);
// Absent data must be loud: a skip with its reason here, a failure under CI.
if (!present && process.env.CI) throw new Error(`the agnews train --resume test needs ${DATA} (the shared folder beside the repo), which is absent under CI`);
if (!present) console.warn(`Skipping the agnews train --resume test: ${DATA} is absent (it lives in the shared folder beside the repo).`);
describe.skipIf(!present)(`agnews train --resume${present ? '' : ' (skipped: ../shared/data/ag_news absent)'}`, () => {
  afterEach(() => vi.unstubAllEnvs());

  it('continues a cancelled run folder from its checkpoint through the lab and finishes it', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'agnews-resume-cache-'));
    // The in-process lab and the spawned runner share one guard store.
    vi.stubEnv('AGNEWS_CACHE', cache);
    const data = mkdtempSync(join(tmpdir(), 'agnews-resume-data-'));
    const head = (f: string, n: number) => readFileSync(join(DATA, f), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
    writeFileSync(join(data, 'train.csv'), head('train.csv', 400));
    writeFileSync(join(data, 'test.csv'), head('test.csv', 50));
    writeFileSync(join(data, 'classes.txt'), readFileSync(join(DATA, 'classes.txt')));
    const out = join(mkdtempSync(join(tmpdir(), 'agnews-resume-run-')), 'r');

    const lab = createNodeLab({ backend: 'cpu' });
    const meta = await lab.importDataset(requestFor(data));
    const config = {
      name: 'resume-cli',
      model: { type: 'fasttext', dim: 8, buckets: 256, train: { epochs: 2, batchSize: 16, lr: 0.05, logEvery: 1, checkpointEvery: 4 } },
      guard: { override: { reason: 'a 400-example slice in a unit test' } },
    };
    const stopped = lab.train({ datasetId: meta.id, config, runId: out, source: data }, (e) => {
      if (e.type === 'step' && e.step === 6) void lab.cancel();
    });
    await expect(stopped).rejects.toThrow(/Cancelled/);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status).toBe('cancelled');
    expect(existsSync(join(out, 'checkpoints', 'latest.json'))).toBe(true);

    const r = spawnSync(process.execPath, ['bin/agnews.js', 'train', '--resume', out, '--backend', 'cpu', '--json'], {
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, AGNEWS_CACHE: cache },
    });
    expect(r.status, r.stderr).toBe(0);
    const record = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(record).toMatchObject({ run: out, model: 'fasttext', backend: 'cpu', epochs: 2, data: { source: data, fingerprint: meta.fingerprint } });
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).status).toBe('done');
    expect(existsSync(join(out, 'checkpoints', 'latest.json'))).toBe(false);

    const again = spawnSync(process.execPath, ['bin/agnews.js', 'train', '--resume', out], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, AGNEWS_CACHE: cache } });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/has already finished/);
  }, 300_000);
});
