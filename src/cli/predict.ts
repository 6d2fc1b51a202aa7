/** `agnews predict`: class probabilities from the lab for texts given on the command line or in a file. */
import { argmax } from '../core/eval/metrics';
import type { BackendChoice } from '../core/experiment/result';
import { InputError } from '../core/util/errors';
import { createNodeLab } from '../platform/node/node-lab';
import { existingRunDir } from '../platform/node/run-dirs';
import { printRecord, readArgText } from './util';

export interface PredictOptions {
  run: string;
  text?: string;
  file?: string;
  backend: BackendChoice;
  json?: boolean;
}

export async function predictCommand(opts: PredictOptions): Promise<void> {
  if (!!opts.text === !!opts.file) throw new InputError('predict needs exactly one of --text "..." or --file TEXTS.txt');
  // Each text keeps its line number, so blank lines skipped in a file never shift the rows.
  let lines: { line: number; text: string }[];
  if (opts.text !== undefined) lines = [{ line: 1, text: opts.text }];
  else {
    const all = readArgText('--file', opts.file!).split(/\r?\n/);
    if (all.at(-1) === '') all.pop();
    lines = all.map((text, i) => ({ line: i + 1, text })).filter((l) => l.text.trim() !== '');
    if (lines.length === 0) throw new InputError(`--file ${opts.file}: no texts (one per line expected)`, { file: opts.file });
    const blank = all.length - lines.length;
    if (blank) process.stderr.write(`agnews: ${blank} blank line(s) in ${opts.file} skipped; each prediction carries its line number\n`);
  }
  if (opts.text !== undefined && opts.text.trim() === '')
    process.stderr.write("agnews: warning: --text is only spaces; the prediction below reflects the model's leaning on no words at all, not any text\n");
  existingRunDir('--run', opts.run);
  const { classes, probs } = await createNodeLab({ backend: opts.backend }).predict(
    opts.run,
    lines.map((l) => l.text),
  );
  const predictions = lines.map(({ line, text }, i) => {
    // A damaged model can yield NaN: refuse rather than print null probabilities.
    if (!Array.from(probs[i]).every(Number.isFinite))
      throw new InputError(`${opts.run}: the model gave non-numeric probabilities for line ${line}; its weights are damaged, train the run again`, { file: opts.run });
    return { line, text, label: classes[argmax(probs[i])], probs: Object.fromEntries(classes.map((c, k) => [c, Number(probs[i][k].toFixed(6))])) };
  });
  if (opts.json) printRecord({ classes, predictions }, true);
  else
    for (const p of predictions)
      process.stdout.write(
        `${opts.file ? `${p.line}\t` : ''}${p.label}\t${Object.entries(p.probs)
          .map(([c, v]) => `${c} ${(v * 100).toFixed(1)}%`)
          .join('  ')}\t${p.text}\n`,
      );
}
