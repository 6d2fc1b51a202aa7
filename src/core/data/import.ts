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

const toExamples = (rows: Candidate[], split: 'train' | 'test'): Example[] => rows.map((r) => ({ id: `${split}:${r.line}`, text: r.text, label: r.label }));

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
  checkNul(parsed.train, parsed.files.train, log);
  if (parsed.files.test) checkNul(parsed.test, parsed.files.test, log);
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
  checkDegenerate(counts, classes, { fraction: settings.fraction, dropped: log.duplicateRows + log.trainTestOverlap, files: parsed.files }, log);
  if (log.errorCount > 0) throw new ImportError(log.report(counts));

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

/** A NUL byte never belongs in news text: it means a binary or UTF-16 file read as UTF-8. */
function checkNul(rows: Candidate[], file: string, log: IssueLog): void {
  const bad = rows.filter((r) => r.text.includes('\u0000'));
  for (const r of bad.slice(0, 3))
    log.error({
      file,
      line: r.line,
      message: `the text contains a NUL byte${bad.length > 3 ? ` (and ${bad.length - 3} more rows)` : ''}: is this a binary or UTF-16 file? Save it as UTF-8 text`,
    });
}

/**
 * Data a classifier cannot learn or be judged on, said at import instead of after training:
 * one class in train (validation accuracy 1.0 means nothing), an empty validation split, and,
 * as warnings, splits missing classes (their macro averages cover the classes present).
 */
function checkDegenerate(
  counts: { train: number[]; validation: number[]; test: number[] },
  classes: string[],
  ctx: { fraction: number; dropped: number; files: Parsed['files'] },
  log: IssueLog,
): void {
  const present = (c: number[]) => classes.filter((_, k) => c[k] > 0);
  const trainClasses = present(counts.train);
  const validationSize = counts.validation.reduce((a, b) => a + b, 0);
  if (trainClasses.length === 1)
    log.error({
      file: ctx.files.train,
      field: 'label',
      message: `every training example has the same class ("${trainClasses[0]}"): a classifier needs examples of at least 2 classes`,
    });
  if (ctx.fraction > 0 && validationSize === 0) {
    const trainSize = counts.train.reduce((a, b) => a + b, 0);
    log.error({
      file: ctx.files.train,
      message: `the validation split is empty: ${trainSize} train row(s) are left${ctx.dropped ? ` after dropping ${ctx.dropped} duplicate or test-overlapping row(s)` : ''}, too few to hold any out. Add training rows`,
    });
  } else if (validationSize > 0 && present(counts.validation).length === 1 && trainClasses.length > 1)
    log.warn({ message: `the validation split holds only one class ("${present(counts.validation)[0]}"): its scores say little; add training rows of the other classes` });
  const testSize = counts.test.reduce((a, b) => a + b, 0);
  if (testSize > 0) {
    const missing = classes.filter((_, k) => counts.test[k] === 0);
    if (present(counts.test).length === 1)
      log.warn({ file: ctx.files.test, message: `the test split holds only one class ("${present(counts.test)[0]}"): test scores will say little` });
    else if (missing.length)
      log.warn({ file: ctx.files.test, message: `class(es) with no test examples: ${missing.map((c) => `"${c}"`).join(', ')}; macro averages on test cover the classes present` });
  }
}
