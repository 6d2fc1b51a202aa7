/**
 * Test fixtures: the shared tiny checkpoints in ../shared/models (beside the repository). Core
 * stays platform-free, so the tests hand in Node's fs functions.
 * A Node Buffer is copied into a plain Uint8Array: Buffer#slice is a view, not the copy the safetensors reader expects.
 */
import { readCheckpoint, type FolderReader } from './checkpoint';

export interface FsLike {
  existsSync(path: string): boolean;
  readFileSync(path: string): Uint8Array;
}

export interface Expected {
  texts: string[];
  input_ids: number[][];
  attention_mask: number[][];
  last_hidden_state: number[][][];
  logits: number[][];
}

export interface TrainReference {
  batch: { texts: string[]; labels: number[]; input_ids: number[][]; attention_mask: number[][]; max_length: number };
  eval_texts: string[];
  dropout: number;
  optimizer: { betas: [number, number]; eps: number; weight_decay: number };
  full: { lr: number; steps: number; losses: number[]; eval_logits: number[][] };
  lora: { lr: number; steps: number; r: number; alpha: number; target_modules: string[]; trainable: string[]; losses: number[]; eval_logits: number[][] };
}

export const MODELS_DIR = '../shared/models';

export function tinyModels(fs: FsLike) {
  const reader =
    (dir: string): FolderReader =>
    async (name) =>
      fs.existsSync(`${dir}/${name}`) ? new Uint8Array(fs.readFileSync(`${dir}/${name}`)) : undefined;
  const json = <T>(path: string): T => JSON.parse(new TextDecoder().decode(fs.readFileSync(`${MODELS_DIR}/${path}`))) as T;
  return {
    present: fs.existsSync(`${MODELS_DIR}/tiny-bert/config.json`),
    reader: (name: string) => reader(`${MODELS_DIR}/${name}`),
    load: (name: string) => readCheckpoint(reader(`${MODELS_DIR}/${name}`)),
    expected: (name: string) => json<Expected>(`${name}/expected.json`),
    trainReference: (name: string) => json<TrainReference>(`${name}/train-reference.json`),
    json,
  };
}

export function maxAbsDiff(a: unknown, b: unknown): number {
  const fa = (a as number[]).flat(3) as number[];
  const fb = (b as number[]).flat(3) as number[];
  if (fa.length !== fb.length) return Infinity;
  return fa.reduce((m, x, i) => Math.max(m, Math.abs(x - fb[i])), 0);
}
