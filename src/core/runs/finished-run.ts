/**
 * The one reader of a finished run, for every caller that needs one (prediction, evaluation,
 * the results table): strict, because a run that is half there (no result, still running, a
 * damaged evaluation file) would otherwise give a table or a score that silently omits it.
 * Each refusal is one line that names the run.
 */
import { evalFileSchema, type RunInput } from '../experiment/results-table';
import type { ResultRecord } from '../experiment/result';
import { InputError, NotFoundError } from '../util/errors';
import type { RunFolder, RunMeta } from './run-folder';

export interface FinishedRun extends Required<RunInput> {
  meta: RunMeta;
  result: ResultRecord;
}

/** `name` is how the caller refers to the run in messages (its id, or `--runs DIR`). */
export async function readFinishedRun(run: RunFolder, name: string): Promise<FinishedRun> {
  const meta = await parsed<RunMeta>(run, 'run.json', name);
  if (!meta) throw new NotFoundError(`${name}: not a run (run.json missing)`, { file: name });
  if (meta.status !== 'done') throw new InputError(`${name}: run is not finished (status "${meta.status}")`, { file: name });
  const result = await parsed<ResultRecord>(run, 'result.json', name);
  if (!result) throw new InputError(`${name}: not a finished run (result.json missing)`, { file: name });
  if (typeof result.run !== 'string' || typeof result.model !== 'string') throw new InputError(`${name}: result.json is not a result record`, { file: name });
  const config = await parsed<unknown>(run, 'config.json', name);
  if (config === undefined) throw new InputError(`${name}: config.json missing`, { file: name });
  const evals: FinishedRun['evals'] = [];
  for (const file of (await run.fileNames()).filter((f) => /^eval-.*\.json$/.test(f))) {
    const checked = evalFileSchema.safeParse(await parsed<unknown>(run, file, name));
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new InputError(`${name}: ${file} is not an evaluation report (${issue.path.join('.') || '(root)'}: ${issue.message})`, { file: name });
    }
    evals.push({ file, report: checked.data });
  }
  return { meta, result, config, evals };
}

async function parsed<T>(run: RunFolder, file: string, name: string): Promise<T | undefined> {
  try {
    return await run.readJson<T>(file);
  } catch (e) {
    throw new InputError(`${name}: ${file} is not valid JSON (${(e as Error).message.split('\n')[0]})`, { file: name });
  }
}
