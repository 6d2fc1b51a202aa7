/**
 * `agnews pretrain`: continues masked-language-model training of a pretrained encoder on a
 * dataset's train texts (the lab's pretrain) into a Hugging Face folder that a fine-tuning config
 * names as `"base": "file:OUT"`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BackendChoice } from '../core/experiment/result';
import { InputError } from '../core/util/errors';
import { requestFor } from '../platform/node/data-source';
import { createNodeLab } from '../platform/node/node-lab';
import { writableRunDir } from '../platform/node/run-dirs';
import { Reporter } from './reporter';
import { onInterrupt, printRecord } from './util';

export interface PretrainOptions {
  base: string;
  data: string;
  out: string;
  steps?: string;
  epochs?: string;
  batch?: string;
  maxLength?: string;
  lr?: string;
  weightDecay?: string;
  warmup?: string;
  maskProb?: string;
  wholeWord?: boolean;
  maxTexts?: string;
  dropout?: string;
  seed?: string;
  checkpointEvery?: string;
  backend: BackendChoice;
  json?: boolean;
  force?: boolean;
}

/** A numeric flag, refused in one line when it is not a number of the kind asked for. */
function numberFlag(flag: string, v: string | undefined, kind: 'integer' | 'number'): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || (kind === 'integer' && !Number.isInteger(x)))
    throw new InputError(`${flag} must be ${kind === 'integer' ? 'an integer' : 'a number'}, got "${v}"`);
  return x;
}

/** `hf:OWNER/NAME[@REV]` as given; a folder (with or without `file:`) as an absolute `file:` path. */
export function baseOf(base: string): string {
  if (base.startsWith('hf:')) return base;
  const dir = base.replace(/^file:/, '');
  if (!existsSync(join(dir, 'config.json')))
    throw new InputError(`--base ${base}: no config.json there (expected hf:OWNER/NAME[@REV] or a Hugging Face model folder)`, { file: dir });
  return `file:${resolve(dir)}`;
}

export async function pretrainCommand(opts: PretrainOptions): Promise<void> {
  const req = {
    base: baseOf(opts.base),
    out: opts.out.replace(/[\\/]+$/, ''),
    steps: numberFlag('--steps', opts.steps, 'integer'),
    epochs: numberFlag('--epochs', opts.epochs, 'integer'),
    batchSize: numberFlag('--batch', opts.batch, 'integer'),
    maxLength: numberFlag('--max-length', opts.maxLength, 'integer'),
    lr: numberFlag('--lr', opts.lr, 'number'),
    weightDecay: numberFlag('--weight-decay', opts.weightDecay, 'number'),
    warmupRatio: numberFlag('--warmup', opts.warmup, 'number'),
    maskProb: numberFlag('--mask-prob', opts.maskProb, 'number'),
    wholeWord: opts.wholeWord,
    maxTexts: numberFlag('--max-texts', opts.maxTexts, 'integer'),
    dropout: numberFlag('--dropout', opts.dropout, 'number'),
    seed: numberFlag('--seed', opts.seed, 'integer'),
    checkpointEvery: numberFlag('--checkpoint-every', opts.checkpointEvery, 'integer'),
    backend: opts.backend,
    overwrite: opts.force,
  };
  writableRunDir('--out', req.out);
  const reporter = new Reporter(false);
  const lab = createNodeLab({ backend: opts.backend });
  const dataset = await lab.importDataset(requestFor(opts.data), reporter.onEvent);
  const off = onInterrupt(() => void lab.cancel());
  try {
    const record = await lab.pretrain({ ...req, datasetId: dataset.id }, reporter.onEvent);
    reporter.close();
    if (!opts.json) reporter.log(`pretrained ${record.architecture} in ${req.out}: fine-tune from it with "base": "file:${req.out}"`);
    printRecord(record, opts.json);
  } finally {
    off();
  }
}
