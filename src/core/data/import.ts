/**
 * The import pipeline: read files, check every row, then (only if nothing is wrong) drop
 * duplicates and train/test overlap, subset, split, and fingerprint. All errors are collected
 * before failing so the user fixes a file once, not one line per attempt.
 */
import type { ImportRequest } from './request';
import { asDatasetId } from '../util/brand';
import { InputError } from '../util/errors';
import { parseAgNews } from './agnews';
import { ImportError } from './errors';
import { datasetFingerprint, datasetIdFrom, testFingerprint } from './fingerprint';
import type { HubDeps } from './hub';
import { loadHubDataset } from './hub';
import { extractRows, labelScheme, resolveLabels } from './mapping';
import type { ProgressFn } from './progress';
import { checkFraction, DEFAULT_SPLIT_SEED, DEFAULT_VALIDATION_FRACTION, splitValidation, stratifiedSubset } from './split';
import { readTable } from './table';
import type { DatasetMeta, Example } from './types';
import type { Candidate } from './validate';
import { checkBalance, cleanSplits, countByClass, IssueLog } from './validate';

export interface ImportOptions {
  onProgress?: ProgressFn;
  /** Needed for `kind: 'hub'` requests: how to reach (and cache) the Hub. */
  hub?: HubDeps;
  /** Clock for `createdAt` (tests pin it). */
  now?: () => Date;
}

export interface ImportedDataset {
  meta: DatasetMeta;
  train: Example[];
  validation: Example[];
  test: Example[];
}

/** What every format boils down to before the shared checks. */
interface Parsed {
  classes: string[];
  train: Candidate[];
  test: Candidate[];
  files: { train: string; test?: string };
}

const STEPS = 5;

async function parseTable(req: Extract<ImportRequest, { kind: 'table' }>, log: IssueLog): Promise<Parsed> {
  const trainTable = await readTable(req.train, log);
  const testTable = req.test ? await readTable(req.test, log) : undefined;
  const trainRaw = trainTable ? extractRows(trainTable, req.mapping, log) : [];
  const testRaw = testTable ? extractRows(testTable, req.mapping, log) : [];
  const files = { train: req.train.name, test: req.test?.name };
  if (trainTable && trainRaw.length === 0 && log.errorCount === 0) log.error({ file: req.train.name, message: 'no data rows' });
  if (req.classes) {
    const seen = new Set<string>();
    for (const c of req.classes) {
      if (c.trim() === '') log.error({ field: 'classes', message: 'empty class name in the class list' });
      else if (seen.has(c)) log.error({ field: 'classes', message: `class "${c}" is listed twice` });
      seen.add(c);
    }
  }
  const scheme = labelScheme(trainRaw, testRaw, req.classes);
  const source = req.classes ? 'the class list' : 'the train labels';
  const train = resolveLabels(trainRaw, scheme, req.train.name, source, log);
  const test = req.test ? resolveLabels(testRaw, scheme, req.test.name, source, log) : [];
  return { classes: scheme.classes, train, test, files };
}

const toExamples = (rows: Candidate[], split: 'train' | 'test'): Example[] =>
  rows.map((r) => ({ id: `${split}:${r.line}`, text: r.text, label: r.label }));

/** Shared tail: fail on errors, else clean, subset, split, fingerprint and describe. */
async function finish(
  parsed: Parsed,
  log: IssueLog,
  opts: ImportOptions,
  settings: { name: string; source: string; fraction: number; seed: number; maxTrain?: number },
): Promise<ImportedDataset> {
  const progress = (message: string, done: number): void => opts.onProgress?.({ message, done, total: STEPS });
  const { classes } = parsed;
  if (log.errorCount === 0 && classes.length < 2) {
    log.error({ field: 'classes', message: `a classifier needs at least 2 classes, found ${classes.length}` });
  }
  const empty = { train: [], validation: [], test: [] };
  if (log.errorCount > 0) throw new ImportError(log.report(empty));

  progress('Removing duplicates and train/test overlap', 2);
  const clean = cleanSplits(parsed.train, parsed.test, log, parsed.files);
  let trainRows = clean.train;
  if (settings.maxTrain !== undefined) trainRows = stratifiedSubset(trainRows, classes.length, settings.maxTrain, settings.seed);

  progress('Splitting validation from train', 3);
  const split = splitValidation(toExamples(trainRows, 'train'), classes.length, settings.fraction, settings.seed);
  const test = toExamples(clean.test, 'test');
  const counts = {
    train: countByClass(split.train, classes.length),
    validation: countByClass(split.validation, classes.length),
    test: countByClass(test, classes.length),
  };
  checkBalance(counts.train, classes, log);

  progress('Fingerprinting', 4);
  const fingerprint = await datasetFingerprint({ classes, train: split.train, validation: split.validation, test });
  const meta: DatasetMeta = {
    id: asDatasetId(datasetIdFrom(fingerprint)),
    name: settings.name,
    source: settings.source,
    classes: [...classes],
    createdAt: (opts.now ?? (() => new Date()))().toISOString(),
    fingerprint,
    testFingerprint: await testFingerprint(test),
    sizes: { train: split.train.length, validation: split.validation.length, test: test.length },
    validationFraction: settings.fraction,
    splitSeed: settings.seed,
    report: log.report(counts),
  };
  progress('Imported', 5);
  return { meta, train: split.train, validation: split.validation, test };
}

/**
 * Imports a dataset in memory. Throws `ImportError` (with the full report) when any row is
 * wrong; nothing is returned, so nothing can be stored. Store the result with `saveDataset`.
 */
export async function importDataset(req: ImportRequest, opts: ImportOptions = {}): Promise<ImportedDataset> {
  const fraction = req.validationFraction ?? DEFAULT_VALIDATION_FRACTION;
  const seed = req.seed ?? DEFAULT_SPLIT_SEED;
  checkFraction(fraction);
  if (req.maxTrain !== undefined && (!Number.isInteger(req.maxTrain) || req.maxTrain < 1)) {
    throw new InputError(`maxTrain must be a positive integer, got ${req.maxTrain}`, { field: 'maxTrain' });
  }
  const settings = { fraction, seed, maxTrain: req.maxTrain };
  const log = new IssueLog();
  opts.onProgress?.({ message: 'Reading files', done: 0, total: STEPS });

  if (req.kind === 'agnews') {
    const parsed = parseAgNews(req.files, log);
    opts.onProgress?.({ message: 'Checked rows', done: 1, total: STEPS });
    const names = [parsed.files.classes, parsed.files.train, parsed.files.test].filter(Boolean).join(', ');
    return finish(parsed, log, opts, { ...settings, name: req.name ?? 'AG News', source: `agnews: ${names}` });
  }
  if (req.kind === 'table') {
    const parsed = await parseTable(req, log);
    opts.onProgress?.({ message: 'Checked rows', done: 1, total: STEPS });
    const names = [req.train.name, req.test?.name].filter(Boolean).join(', ');
    return finish(parsed, log, opts, { ...settings, name: req.name, source: `table: ${names}` });
  }
  if (!opts.hub) {
    throw new InputError(`Importing Hub dataset "${req.dataset}" needs network access: pass opts.hub (fetch, cache)`, { field: 'dataset' });
  }
  const hub = await loadHubDataset(req.dataset, { ...opts.hub, onProgress: opts.hub.onProgress ?? opts.onProgress });
  const tableReq = { kind: 'table' as const, name: req.dataset, train: hub.train, test: hub.test, mapping: hub.mapping, classes: hub.classes };
  const parsed = await parseTable(tableReq, log);
  opts.onProgress?.({ message: 'Checked rows', done: 1, total: STEPS });
  return finish(parsed, log, opts, { ...settings, name: req.dataset, source: `hub: ${req.dataset}` });
}
