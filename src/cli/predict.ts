/** `agnews predict`: class probabilities from the lab for texts given on the command line or in a file. */
import { argmax } from '../core/eval/metrics';
import type { BackendChoice } from '../core/experiment/result';
import { InputError } from '../core/util/errors';
import { createNodeLab } from '../platform/node/node-lab';
import { existingRunDir } from '../platform/node/run-dirs';
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
  existingRunDir('--run', opts.run);
  const { classes, probs } = await createNodeLab({ backend: opts.backend }).predict(opts.run, texts);
  const predictions = texts.map((text, i) => ({
    text,
    label: classes[argmax(probs[i])],
    probs: Object.fromEntries(classes.map((c, k) => [c, Number(probs[i][k].toFixed(6))])),
  }));
  if (opts.json) printRecord({ classes, predictions }, true);
  else for (const p of predictions) process.stdout.write(`${p.label}\t${Object.entries(p.probs).map(([c, v]) => `${c} ${(v * 100).toFixed(1)}%`).join('  ')}\t${p.text}\n`);
}
