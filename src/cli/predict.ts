import { argmax } from '../core/eval/metrics';
import type { BackendChoice } from '../core/experiment/result';
import { InputError } from '../core/util/errors';
import { openRun } from './run-model';
import { printRecord, readArgFile } from './util';

export interface PredictOptions {
  run: string;
  text?: string;
  file?: string;
  backend: BackendChoice;
  json?: boolean;
}

export async function predictCommand(opts: PredictOptions): Promise<void> {
  if (!!opts.text === !!opts.file) throw new InputError('predict needs exactly one of --text "..." or --file TEXTS.txt');
  let texts: string[];
  if (opts.text) texts = [opts.text];
  else {
    texts = new TextDecoder().decode(readArgFile('--file', opts.file!)).split(/\r?\n/).filter((l) => l.trim() !== '');
    if (texts.length === 0) throw new InputError(`--file ${opts.file}: no texts (one per line expected)`, { file: opts.file });
  }
  const { model, meta } = await openRun(opts.run, opts.backend);
  const probs = await model.predictProba(texts);
  model.dispose();
  const predictions = texts.map((text, i) => ({
    text,
    label: meta.classes[argmax(probs[i])],
    probs: Object.fromEntries(meta.classes.map((c, k) => [c, Number(probs[i][k].toFixed(6))])),
  }));
  if (opts.json) printRecord({ classes: meta.classes, predictions }, true);
  else for (const p of predictions) process.stdout.write(`${p.label}\t${Object.entries(p.probs).map(([c, v]) => `${c} ${(v * 100).toFixed(1)}%`).join('  ')}\t${p.text}\n`);
}
