/**
 * The runner as the CLI tests spawn it: asynchronously, so that a stand-in Hub served from the
 * test's own process can answer while the runner downloads; and small AG News folders to feed it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const DATA = '../shared/data/ag_news';
const run = promisify(execFile);

/** `npx agnews ...args` with its guard records under `cache`; never throws, gives the exit status. */
export async function agnewsAsync(cache: string, env: Record<string, string>, timeout: number, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/agnews.js', ...args], { encoding: 'utf8', timeout, env: { ...process.env, AGNEWS_CACHE: cache, ...env } });
    return { status: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { status: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}

/** The last stdout line as JSON: the runner's `--json` record. */
export const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!);

/** A small AG News folder: the first rows of the shared files. */
export function agNewsSliceDir(prefix: string, train: number, test: number): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const head = (f: string, n: number) => readFileSync(join(DATA, f), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
  writeFileSync(join(dir, 'train.csv'), head('train.csv', train));
  writeFileSync(join(dir, 'test.csv'), head('test.csv', test));
  writeFileSync(join(dir, 'classes.txt'), readFileSync(join(DATA, 'classes.txt')));
  return dir;
}
