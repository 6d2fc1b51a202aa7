/**
 * `--data` for the Node runner: an AG News folder (train.csv, test.csv, classes.txt), a single
 * labelled file, or `hf:OWNER/NAME` from the Hugging Face Hub, as the lab's import request.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { AG_NEWS_CLASSES } from '../../core/data/agnews';
import type { ImportRequest } from '../../core/data/request';
import { InputError } from '../../core/util/errors';

export const DEFAULT_DATA = 'hf:fancyzhx/ag_news';

export interface DataOptions {
  validationFraction?: number;
  seed?: number;
}

const file = (p: string) => ({ name: basename(p), bytes: new Uint8Array(readFileSync(p)) });

export function cacheDir(): string {
  return process.env.AGNEWS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'agnews-lab');
}

export function requestFor(spec: string, opts: DataOptions = {}): ImportRequest {
  const common = { validationFraction: opts.validationFraction, seed: opts.seed };
  if (spec.startsWith('hf:')) return { kind: 'hub', dataset: spec.slice(3), ...common };
  const path = resolve(spec);
  if (!existsSync(path)) throw new InputError(`--data ${spec}: no such file or folder`, { field: 'data' });
  if (statSync(path).isDirectory()) {
    const names = readdirSync(path);
    const wanted = ['train.csv', 'test.csv', 'classes.txt'].filter((n) => names.includes(n));
    if (!wanted.includes('train.csv')) throw new InputError(`--data ${spec}: a dataset folder needs train.csv (AG News layout: train.csv, test.csv, classes.txt)`, { file: spec });
    for (const n of wanted) if (!statSync(join(path, n)).isFile()) throw new InputError(`--data ${spec}: ${n} is a folder, not a file`, { file: join(spec, n) });
    return { kind: 'agnews', name: basename(path), files: wanted.map((n) => file(join(path, n))), ...common };
  }
  const ext = extname(path).toLowerCase();
  // A lone header-less CSV is read in the AG News layout: label (1-4), title, description.
  if (ext === '.csv')
    return {
      kind: 'agnews',
      name: basename(path),
      files: [
        { ...file(path), name: 'train.csv' },
        { name: 'classes.txt', bytes: new TextEncoder().encode(AG_NEWS_CLASSES.join('\n')) },
      ],
      ...common,
    };
  return { kind: 'table', name: basename(path), train: file(path), mapping: { text: ['text'], label: 'label' }, ...common };
}
