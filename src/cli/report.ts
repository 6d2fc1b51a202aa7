/**
 * `agnews report --runs DIR... --out DIR`: one table across finished runs. Reads each run
 * folder's result.json, config.json and any eval-*.json, and writes OUT/results.csv and
 * OUT/results.json. A DIR holding run folders (e.g. runs/) stands for each run inside it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { evalFileSchema, resultsCsv, resultsJson, resultsTable, type RunInput } from '../core/eval/results-table';
import type { ResultRecord } from '../core/experiment/result';
import type { RunMeta } from '../core/runs/run-folder';
import { InputError } from '../core/util/errors';
import { printRecord } from './util';

export interface ReportOptions {
  runs: string[];
  out: string;
  json?: boolean;
}

function readJsonFile<T>(file: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${what}: cannot read ${file}`, { file });
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new InputError(`${what}: ${file} is not valid JSON (${(e as Error).message})`, { file });
  }
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

/** Each DIR as given, or the run folders directly inside it when it is not a run itself. */
function expand(dirs: string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    if (!isDir(dir)) throw new InputError(`--runs ${dir}: no such run folder`, { file: dir });
    if (existsSync(join(dir, 'run.json')) || existsSync(join(dir, 'result.json'))) {
      out.push(dir);
      continue;
    }
    const children = readdirSync(dir)
      .sort()
      .map((name) => join(dir, name))
      .filter((p) => isDir(p) && existsSync(join(p, 'run.json')));
    if (children.length === 0) throw new InputError(`--runs ${dir}: not a run folder (no run.json) and holds no run folders`, { file: dir });
    out.push(...children);
  }
  return out;
}

/** A finished run's files; any gap is a one-line InputError naming the folder. */
export function readRun(dir: string): RunInput {
  const what = `--runs ${dir}`;
  if (!isDir(dir)) throw new InputError(`${what}: no such run folder`, { file: dir });
  const metaFile = join(dir, 'run.json');
  const meta = existsSync(metaFile) ? readJsonFile<RunMeta>(metaFile, what) : undefined;
  if (meta && meta.status !== 'done') throw new InputError(`${what}: run is not finished (status "${meta.status}")`, { file: dir });
  if (!existsSync(join(dir, 'result.json'))) throw new InputError(`${what}: not a finished run (result.json missing)`, { file: dir });
  const result = readJsonFile<ResultRecord>(join(dir, 'result.json'), what);
  if (typeof result?.run !== 'string' || typeof result.model !== 'string') throw new InputError(`${what}: result.json is not a result record`, { file: join(dir, 'result.json') });
  if (!existsSync(join(dir, 'config.json'))) throw new InputError(`${what}: config.json missing`, { file: dir });
  const config = readJsonFile<unknown>(join(dir, 'config.json'), what);
  const evals = readdirSync(dir)
    .filter((f) => /^eval-.*\.json$/.test(f))
    .sort()
    .map((file) => {
      const parsed = evalFileSchema.safeParse(readJsonFile<unknown>(join(dir, file), what));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InputError(`${what}: ${file} is not an evaluation report (${issue.path.join('.') || '(root)'}: ${issue.message})`, { file: join(dir, file) });
      }
      return { file, report: parsed.data };
    });
  return { result, config, evals };
}

export async function reportCommand(opts: ReportOptions): Promise<void> {
  if (!opts.runs?.length) throw new InputError('report needs at least one --runs DIR');
  const runs = expand(opts.runs).map(readRun);
  const rows = await resultsTable(runs);
  const out = resolve(opts.out);
  try {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'results.csv'), resultsCsv(rows));
    writeFileSync(join(out, 'results.json'), resultsJson(rows));
  } catch (e) {
    throw new InputError(`--out ${opts.out}: cannot write the report (${(e as Error).message})`, { file: opts.out });
  }
  const files = { csv: join(out, 'results.csv'), json: join(out, 'results.json') };
  if (opts.json) printRecord({ runs: rows.length, files, rows }, true);
  else {
    for (const r of rows) {
      const test = r.evals.test ?? r.evals.file;
      const shown = test ? `${test.accuracy.toFixed(4)} (${r.evals.test ? 'test' : 'file'})` : `${r.validation.accuracy.toFixed(4)} (validation)`;
      process.stdout.write(`${r.run}  ${r.model}  seed ${r.seeds.join(',')}  accuracy ${shown}\n`);
    }
    process.stdout.write(`wrote ${files.csv} and ${files.json} (${rows.length} run${rows.length === 1 ? '' : 's'})\n`);
  }
}
