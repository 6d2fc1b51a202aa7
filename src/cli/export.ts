/** `agnews export`: a finished run written by the lab as a Hugging Face folder, its PEFT adapter, an ONNX model or the run bundle. */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BackendChoice } from '../core/experiment/result';
import type { ExportFormat } from '../core/lab/export-model';
import { InputError } from '../core/util/errors';
import { createNodeLab } from '../platform/node/node-lab';
import { existingRunDir, writableRunDir } from '../platform/node/run-dirs';
import { printRecord } from './util';

export interface ExportOptions {
  run: string;
  format: ExportFormat;
  out: string;
  int8?: boolean;
  backend: BackendChoice;
  force?: boolean;
  json?: boolean;
}

export async function exportCommand(opts: ExportOptions): Promise<void> {
  existingRunDir('--run', opts.run);
  if (opts.int8 && opts.format !== 'onnx') throw new InputError(`--int8 applies to --format onnx only (not ${opts.format})`);
  if (resolve(opts.out) === resolve(opts.run)) throw new InputError('--out must not be the run folder itself');
  // Checked before the model is read: a bad --out should fail at once, and never mix two exports.
  if (existsSync(opts.out) && readdirSync(opts.out).length && !opts.force)
    throw new InputError(`--out ${opts.out} is not empty: choose another folder, or pass --force to write over it`, { file: opts.out });
  const exported = await createNodeLab({ backend: opts.backend }).exportModel(opts.run, opts.format, { int8: opts.int8 });
  // Made only once the export succeeded: a refused export leaves no folder behind.
  writableRunDir('--out', opts.out);
  for (const f of exported.files) {
    const path = join(opts.out, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.bytes);
  }
  printRecord({ run: opts.run, format: opts.format, out: opts.out, files: exported.files.map((f) => ({ path: f.path, bytes: f.bytes.length })) }, opts.json);
}
