/**
 * Datasets on the storage port: `datasets/<id>/{meta.json, train.jsonl, validation.jsonl,
 * test.jsonl}`, written in one commit so a dataset is either fully there or absent.
 *
 * The test split has a single door, `readTestSplit`: it demands a stated purpose, verifies
 * the content against the fingerprint sealed at import, and logs the access. Training code
 * gets `loadTrainingData`, which cannot return test examples, so tuning on test needs an
 * explicit, audited call rather than a slip.
 */
import type { BlobStore } from '../storage/port';
import { fromBytes, jsonFile, readJson, toBytes } from '../storage/port';
import { GuardError, InputError, NotFoundError } from '../util/errors';
import { testFingerprint } from './fingerprint';
import type { DatasetMeta, Example, TrainingData } from './types';

const ROOT = 'datasets/';
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const datasetPaths = (id: string) => {
  checkId(id);
  const dir = `${ROOT}${id}/`;
  return {
    dir,
    meta: `${dir}meta.json`,
    train: `${dir}train.jsonl`,
    validation: `${dir}validation.jsonl`,
    test: `${dir}test.jsonl`,
    testAccess: `${dir}test-access.jsonl`,
  };
};

/** Ids become path segments: refuse anything that could step outside `datasets/<id>/`. */
function checkId(id: string): void {
  if (!ID.test(id)) throw new InputError(`"${id}" is not a dataset id`, { field: 'datasetId' });
}

function toJsonl(examples: Example[]): Uint8Array {
  let out = '';
  for (const e of examples) out += `${JSON.stringify({ id: e.id, label: e.label, text: e.text })}\n`;
  return toBytes(out);
}

function parseJsonl(bytes: Uint8Array, path: string): Example[] {
  const out: Example[] = [];
  const lines = fromBytes(bytes).split('\n');
  for (let k = 0; k < lines.length; k++) {
    if (lines[k] === '') continue;
    let e: Example;
    try {
      e = JSON.parse(lines[k]) as Example;
    } catch {
      throw new GuardError(`${path} line ${k + 1} is not valid JSON; the stored dataset is damaged`);
    }
    if (typeof e.id !== 'string' || typeof e.text !== 'string' || !Number.isInteger(e.label)) {
      throw new GuardError(`${path} line ${k + 1} is not an example {id, label, text}; the stored dataset is damaged`);
    }
    out.push({ id: e.id, label: e.label, text: e.text });
  }
  return out;
}

export async function saveDataset(store: BlobStore, data: { meta: DatasetMeta; train: Example[]; validation: Example[]; test: Example[] }): Promise<void> {
  const p = datasetPaths(data.meta.id);
  // Seal check: storing a test split that differs from its fingerprint would make every later
  // readTestSplit refuse, far from the cause.
  if ((await testFingerprint(data.test)) !== data.meta.testFingerprint || data.test.length !== data.meta.sizes.test) {
    throw new GuardError(`Dataset "${data.meta.id}" not saved: its test split does not match meta.testFingerprint`, { datasetId: data.meta.id });
  }
  await store.commit([
    jsonFile(p.meta, data.meta),
    { path: p.train, bytes: toJsonl(data.train) },
    { path: p.validation, bytes: toJsonl(data.validation) },
    { path: p.test, bytes: toJsonl(data.test) },
  ]);
}

export async function getDatasetMeta(store: BlobStore, id: string): Promise<DatasetMeta | undefined> {
  return readJson<DatasetMeta>(store, datasetPaths(id).meta);
}

async function requireMeta(store: BlobStore, id: string): Promise<DatasetMeta> {
  const meta = await getDatasetMeta(store, id);
  if (!meta) throw new NotFoundError(`No dataset "${id}" in storage`, { datasetId: id });
  return meta;
}

/** All stored datasets, newest first. */
export async function listDatasets(store: BlobStore): Promise<DatasetMeta[]> {
  const paths = (await store.list(ROOT)).filter((p) => /^datasets\/[^/]+\/meta\.json$/.test(p));
  const metas = await Promise.all(paths.map((p) => readJson<DatasetMeta>(store, p)));
  return metas.filter((m): m is DatasetMeta => m !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

export async function deleteDataset(store: BlobStore, id: string): Promise<void> {
  await store.remove(datasetPaths(id).dir);
}

/** Train and validation examples, for training and model selection. Never the test split. */
export async function loadTrainingData(store: BlobStore, id: string): Promise<TrainingData> {
  const meta = await requireMeta(store, id);
  const p = datasetPaths(id);
  const [train, validation] = await Promise.all([store.read(p.train), store.read(p.validation)]);
  if (!train || !validation) throw new NotFoundError(`Dataset "${id}" is incomplete: ${!train ? p.train : p.validation} is missing`);
  const data = { meta, train: parseJsonl(train, p.train), validation: parseJsonl(validation, p.validation) };
  if (data.train.length !== meta.sizes.train || data.validation.length !== meta.sizes.validation) {
    throw new GuardError(
      `Dataset "${id}" does not match its meta: ${data.train.length}/${data.validation.length} train/validation examples stored, ` +
        `${meta.sizes.train}/${meta.sizes.validation} expected`,
    );
  }
  return data;
}

export interface TestAccess {
  /** Why the test split is read, e.g. "final evaluation of run r-12". Required. */
  purpose: string;
  /** Who reads it, e.g. "eval/final". */
  caller: string;
}

/**
 * The only reader of `test.jsonl`. Refuses without a purpose, or when the stored test split
 * differs from the one sealed at import (count or fingerprint), and logs every granted access.
 */
export async function readTestSplit(store: BlobStore, id: string, access: TestAccess): Promise<Example[]> {
  if (!access || typeof access.purpose !== 'string' || access.purpose.trim() === '') {
    throw new GuardError(`Test split of "${id}" refused: state a purpose (access.purpose is empty)`, { datasetId: id });
  }
  if (typeof access.caller !== 'string' || access.caller.trim() === '') {
    throw new GuardError(`Test split of "${id}" refused: name the caller (access.caller is empty)`, { datasetId: id });
  }
  const meta = await requireMeta(store, id);
  const p = datasetPaths(id);
  const bytes = await store.read(p.test);
  if (!bytes) throw new GuardError(`Test split of "${id}" refused: ${p.test} is missing`, { datasetId: id, check: 'present' });
  const test = parseJsonl(bytes, p.test);
  if (test.length !== meta.sizes.test) {
    throw new GuardError(`Test split of "${id}" refused: ${test.length} examples stored, ${meta.sizes.test} sealed at import`, {
      datasetId: id,
      check: 'size',
    });
  }
  const actual = await testFingerprint(test);
  if (actual !== meta.testFingerprint) {
    throw new GuardError(`Test split of "${id}" refused: its content changed since import (fingerprint ${actual} != sealed ${meta.testFingerprint})`, {
      datasetId: id,
      check: 'fingerprint',
    });
  }
  const entry = { at: new Date().toISOString(), purpose: access.purpose, caller: access.caller, examples: test.length };
  await store.append(p.testAccess, toBytes(`${JSON.stringify(entry)}\n`));
  return test;
}

/** The logged test-split accesses of a dataset, oldest first. */
export async function testAccessLog(store: BlobStore, id: string): Promise<{ at: string; purpose: string; caller: string; examples: number }[]> {
  const bytes = await store.read(datasetPaths(id).testAccess);
  if (!bytes) return [];
  return fromBytes(bytes)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { at: string; purpose: string; caller: string; examples: number });
}
