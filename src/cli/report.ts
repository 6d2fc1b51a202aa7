/**
 * `agnews report --runs DIR... --out DIR`: one table across finished runs, made by the lab
 * (each run read by its strict reader), written as OUT/results.csv and OUT/results.json.
 * A DIR holding run folders (e.g. runs/) stands for each run inside it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../core/util/errors';
import { createNodeLab } from '../platform/node/node-lab';
import { expandRunDirs } from '../platform/node/run-dirs';
import { printRecord } from './util';

export interface ReportOptions {
  runs: string[];
  out: string;
  json?: boolean;
}

export async function reportCommand(opts: ReportOptions): Promise<void> {
  if (!opts.runs?.length) throw new InputError('report needs at least one --runs DIR');
  const { csv, json, rows } = await createNodeLab().resultsFiles(expandRunDirs('--runs', opts.runs));
  const out = resolve(opts.out);
  try {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'results.csv'), csv);
    writeFileSync(join(out, 'results.json'), json);
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
