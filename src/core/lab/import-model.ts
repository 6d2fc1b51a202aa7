/**
 * `importModel`: an already fine-tuned sequence classifier (a Hub id or a folder) becomes a
 * finished run without training, so eval, predict, compare, export and the ensemble tier take it
 * like any trained run. Its labels (config.json's id2label) are matched to the dataset's classes
 * by name; its validation report is the one a trained run gets; and the run holds the base by
 * reference (each file's URI, sha256 and size, pinned to the Hub commit), never a copy, except
 * for the head rows reordered when the checkpoint lists the classes in another order.
 */
import type { Example, TrainingData } from '../data/types';
import { summarize } from '../eval/metrics';
import { analyseValidation, measureEfficiency, PeakTracker } from '../experiment/analysis';
import { parseExperimentConfig } from '../experiment/config';
import { experimentSplits, type ExperimentEvent } from '../experiment/pipeline';
import type { BackendChoice, BackendInfo, ResultRecord } from '../experiment/result';
import type { AssetRef, ModelArtifact, NamedTensor } from '../models/estimator';
import { baseSourceFromAssets } from '../models/pretrained/base-source';
import { readCheckpoint, type FolderReader, type HfCheckpoint } from '../models/pretrained/checkpoint';
import { pretrainedSchema } from '../models/pretrained/config';
import { PRETRAINED_KIND, PretrainedEstimator } from '../models/pretrained/estimator';
import { hubBaseSource, type HubDeps } from '../models/pretrained/hub-files';
import { modelFamily } from '../models/registry';
import type { RunFolder } from '../runs/run-folder';
import type { AssetStore } from '../storage/asset-store';
import { jsonFile } from '../storage/port';
import { ConfigError, InputError, StorageError, toErrorData } from '../util/errors';

export interface ImportModelRequest {
  /** `hf:OWNER/NAME[@REV]` or a `file:` folder holding config.json, model.safetensors and tokenizer.json. */
  from: string;
  /**
   * 'by-name' (default): config.json's labels must name the dataset's classes. 'in-order': the
   * checkpoint's label i is taken as the dataset's class i, for checkpoints whose labels carry no
   * names (LABEL_0, LABEL_1, ...); the run records that the order was assumed.
   */
  labels?: 'by-name' | 'in-order';
  /** Tokens per text (at most the checkpoint's position table). Default 512. */
  maxLength?: number;
  /** Score at most this many validation examples (a stratified, seeded subset). */
  maxValidation?: number;
}

/** What the lab's `importModel` takes: the request, the dataset to score on, and where the run goes. */
export interface ImportModelCall extends ImportModelRequest {
  datasetId: string;
  /** Where the run goes in the lab's run home (the terminal: the run folder). Default: a new id. */
  runId?: string;
  /** Where the data came from, for the record. Default: the dataset's own. */
  source?: string;
  backend?: BackendChoice;
  /** Replace a run already in `runId` (refused otherwise). */
  overwrite?: boolean;
}

export interface ImportModelArgs extends ImportModelRequest {
  data: TrainingData;
  run: RunFolder;
  runId: string;
  backend: BackendInfo;
  assets: AssetStore;
  /** The Hub's revision API and the listing cache, for `hf:` sources. */
  hub: HubDeps;
  source?: string;
  /** Replace a run already in the folder (refused otherwise). */
  overwrite?: boolean;
  onEvent?: (e: ExperimentEvent) => void;
  heapBytes?: () => number | undefined;
}

/** What import.json records: where the model came from, and how its labels map to the classes. */
export interface ImportRecord {
  from: string;
  commit?: string;
  files: AssetRef[];
  /** Dataset class → the checkpoint's label it was matched to. */
  labels: Record<string, string>;
  labelOrderAssumed: boolean;
}

/** A label as compared: case and punctuation do not count ("Sci/Tech" = "sci-tech" = "SciTech"). */
const normalise = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const GENERIC = /^label_?\d+$/i;

/**
 * For each dataset class, the index of the checkpoint's label that is that class. Unnamed labels
 * (LABEL_k) are refused unless the caller asserts the order: matching them by position silently
 * would give a model that scores and predicts under the wrong names whenever the order differs.
 */
export function matchLabels(id2label: Record<string, string> | undefined, classes: string[], mode: 'by-name' | 'in-order' = 'by-name'): { order: number[]; assumed: boolean } {
  if (!id2label || !Object.keys(id2label).length)
    throw new InputError('the checkpoint\'s config.json has no id2label: it is not a fine-tuned sequence classifier (use "train" with it as model.base instead)');
  const n = Object.keys(id2label).length;
  const labels = Array.from({ length: n }, (_, i) => id2label[String(i)]);
  if (labels.some((l) => l === undefined)) throw new InputError(`config.json's id2label must number its labels 0..${n - 1}; it has ${Object.keys(id2label).join(', ')}`);
  const both = `checkpoint labels: ${labels.join(', ')}; dataset classes: ${classes.join(', ')}`;
  if (n !== classes.length) throw new InputError(`the checkpoint predicts ${n} labels and the dataset has ${classes.length} classes (${both})`);
  if (mode === 'in-order') return { order: classes.map((_, i) => i), assumed: true };
  if (labels.every((l) => GENERIC.test(l)))
    throw new InputError(
      `the checkpoint's labels carry no names (${labels.join(', ')}), so they cannot be matched to the dataset's classes (${classes.join(', ')}); if you know label i is class i, import with --labels in-order`,
    );
  const byName = new Map(labels.map((l, i) => [normalise(l), i]));
  const order = classes.map((c) => byName.get(normalise(c)) ?? -1);
  const missing = classes.filter((_, i) => order[i] < 0);
  if (missing.length || new Set(order).size !== n)
    throw new InputError(
      `the checkpoint's labels do not match the dataset's classes (${both}); unmatched: ${missing.join(', ') || 'duplicates after ignoring case and punctuation'}`,
    );
  return { order, assumed: false };
}

/** The checkpoint's files read through the asset store, with the reference of each file read. */
async function readSource(args: ImportModelArgs): Promise<{ read: FolderReader; refs: () => AssetRef[]; names: () => string[]; base: string; commit?: string }> {
  const { from, assets, onEvent } = args;
  if (from.startsWith('hf:')) {
    const hub = await hubBaseSource(assets, args.hub, from, (p) => onEvent?.({ type: 'phase', phase: `Downloading ${from}: ${p.file}`, done: p.done, total: p.total }));
    const { id, revision } = hub.describe;
    return { read: hub.read, refs: () => hub.files.map((n) => hub.ref(n)), names: () => hub.files, base: `hf:${id}@${revision}`, commit: revision };
  }
  if (!from.startsWith('file:')) throw new ConfigError(`--from ${from}: expected hf:OWNER/NAME[@REV] or a folder`);
  const source = baseSourceFromAssets(assets, from, (p) => onEvent?.({ type: 'phase', phase: `Reading ${p.uri}`, done: p.done, total: p.total ?? 0 }));
  const seen: string[] = [];
  const read: FolderReader = async (name) => {
    const bytes = await source.read(name);
    if (bytes && !seen.includes(name)) seen.push(name);
    return bytes;
  };
  return { read, refs: () => seen.map((n) => source.ref(n)), names: () => [...seen], base: from.replace(/\/+$/, '') };
}

/** The head rows in the dataset's class order: every tensor outside the encoder, the output layer's rows permuted. */
function reorderedHead(ckpt: HfCheckpoint, order: number[]): Record<string, NamedTensor> {
  const out: Record<string, NamedTensor> = {};
  const k = order.length;
  for (const [name, t] of Object.entries(ckpt.weights)) {
    if (name.startsWith(`${ckpt.architecture.prefix}.`)) continue;
    const output = /(^|\.)(classifier|out_proj)\.(weight|bias)$/.test(name) && t.shape[0] === k;
    let data = t.data;
    if (output) {
      const row = t.data.length / k;
      data = new Float32Array(t.data.length);
      order.forEach((from, i) => data.set(t.data.subarray(from * row, (from + 1) * row), i * row));
    }
    out[`init.${name}`] = { dtype: 'F32', shape: t.shape, data };
  }
  return out;
}

/** The longest input the position table allows (RoBERTa's positions start after the padding id). */
function positionLimit(c: HfCheckpoint['config']): number {
  const max = Number(c.max_position_embeddings ?? 512);
  return c.model_type === 'roberta' ? max - Number(c.pad_token_id ?? 1) - 1 : max;
}

const alreadyOrdered = (ckpt: HfCheckpoint, classes: string[]) => {
  const id2label = ckpt.config.id2label as Record<string, string> | undefined;
  return classes.every((c, i) => id2label?.[String(i)]?.toLowerCase() === c.toLowerCase());
};

export async function importModel(args: ImportModelArgs): Promise<ResultRecord> {
  const { data, run, runId, onEvent } = args;
  const t0 = performance.now();
  const classes = data.meta.classes;
  const heap = new PeakTracker(args.heapBytes);
  const name = `import-${args.from
    .replace(/^(hf:|file:)/, '')
    .replace(/\/+$/, '')
    .split('/')
    .slice(-1)[0]
    .replace(/@.*/, '')}`;
  const config = parseExperimentConfig(
    { name, seed: 0, data: args.maxValidation ? { maxValidation: args.maxValidation } : {}, model: { type: 'pretrained', base: args.from.replace(/\/+$/, ''), method: 'bitfit' } },
    '--from',
  );
  const existing = await run.meta();
  if (existing && !args.overwrite)
    throw new StorageError(
      `${runId} already holds a run (${existing.configName}, status "${existing.status}", started ${existing.createdAt}): choose another folder, or replace it on purpose (agnews import-model --force).`,
    );
  if (existing) await run.clear();
  await run.begin(
    { runId, configName: name, model: PRETRAINED_KIND, datasetId: data.meta.id, fingerprint: data.meta.fingerprint, source: args.source ?? data.meta.source, classes },
    config,
  );
  onEvent?.({ type: 'run-started', runId, backend: args.backend });
  let model: PretrainedEstimator | undefined;
  try {
    const src = await readSource(args);
    onEvent?.({ type: 'phase', phase: 'Reading the checkpoint', done: 0, total: 1 });
    const ckpt = await readCheckpoint(src.read);
    // The tokenizer files are part of the run's references: the loader reads them from the same base.
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) await src.read(f);
    if (!/ForSequenceClassification$/.test(String((ckpt.config.architectures as string[] | undefined)?.[0] ?? '')))
      throw new InputError(
        `${args.from} is a ${String((ckpt.config.architectures as string[] | undefined)?.[0] ?? ckpt.config.model_type)} checkpoint, not a fine-tuned sequence classifier: train it with model.base instead`,
      );
    const { order, assumed } = matchLabels(ckpt.config.id2label as Record<string, string> | undefined, classes, args.labels);
    const id2label = ckpt.config.id2label as Record<string, string>;
    if (assumed)
      onEvent?.({ type: 'log', level: 'warn', message: `labels taken in order (--labels in-order): ${classes.map((c, i) => `${id2label[String(i)]} → ${c}`).join(', ')}` });
    const identity = order.every((j, i) => j === i) && alreadyOrdered(ckpt, classes);
    const maxLength = Math.min(args.maxLength ?? 512, positionLimit(ckpt.config));
    const params = pretrainedSchema.parse({ type: 'pretrained', base: src.base, method: 'bitfit', maxLength });
    const hfConfig = {
      ...ckpt.config,
      num_labels: classes.length,
      id2label: Object.fromEntries(classes.map((c, i) => [String(i), c])),
      label2id: Object.fromEntries(classes.map((c, i) => [c, i])),
    };
    const refs = src.refs();
    const parameters = Object.values(ckpt.weights).reduce((n, t) => n + t.data.length, 0);
    // No trained tensors: the model is its base, read again by reference; only a reordered head travels.
    const artifact: ModelArtifact = {
      kind: PRETRAINED_KIND,
      meta: {
        params,
        classes,
        hfConfig,
        seed: 0,
        maxLength,
        base: { id: src.base, ...(src.commit ? { revision: src.commit } : {}) },
        baseFiles: src.names(),
        imported: { from: args.from, labelOrderAssumed: assumed },
      },
      tensors: identity ? {} : reorderedHead(ckpt, order),
      refs,
    };
    heap.sample(true);

    const validation: Example[] = experimentSplits(config, data).validation;
    onEvent?.({ type: 'phase', phase: 'Scoring the validation split', done: 0, total: 1 });
    model = PretrainedEstimator.load(artifact, { assets: args.assets });
    const texts = validation.map((e) => e.text);
    const probs = await model.predictProba(texts);
    heap.sample(true);
    const analysis = await analyseValidation(validation, probs, classes, config.seed);
    onEvent?.({ type: 'phase', phase: 'Measuring prediction speed', done: 0, total: 1 });
    const speed = await measureEfficiency(model, texts);
    heap.sample(true);
    const scores = summarize(
      validation.map((e) => e.label),
      probs,
      classes.length,
    );
    onEvent?.({ type: 'phase', phase: 'Saving the run', done: 0, total: 1 });
    const modelBytes = await run.saveModel(artifact);
    const record: ImportRecord = {
      from: args.from,
      ...(src.commit ? { commit: src.commit } : {}),
      files: refs,
      labels: Object.fromEntries(classes.map((c, i) => [c, id2label[String(order[i])]])),
      labelOrderAssumed: assumed,
    };
    await run.appendMetrics([{ kind: 'epoch', step: 0, epoch: 0, loss: NaN, accuracy: NaN, val_loss: scores.loss, val_accuracy: scores.accuracy, val_macroF1: scores.macroF1 }]);
    await run.store.commit([
      jsonFile(run.prefix + 'import.json', record),
      jsonFile(run.prefix + 'eval-validation.json', analysis.report),
      jsonFile(run.prefix + 'predictions-validation.json', analysis.predictions),
    ]);
    const result: ResultRecord = {
      run: runId,
      model: PRETRAINED_KIND,
      family: modelFamily(PRETRAINED_KIND),
      backend: args.backend.backend,
      seed: config.seed,
      config: name,
      data: { train: 0, validation: validation.length, fingerprint: data.meta.fingerprint, source: args.source ?? data.meta.source },
      validation: { accuracy: scores.accuracy, macroF1: scores.macroF1, loss: scores.loss },
      timings: { trainSeconds: 0, totalSeconds: (performance.now() - t0) / 1000 },
      modelBytes,
      parameters,
      epochs: 0,
      efficiency: { ...speed, peakHeapBytes: heap.peak },
      device: args.backend,
      createdAt: new Date().toISOString(),
    };
    await run.writeResult(result);
    onEvent?.({ type: 'done', result });
    return result;
  } catch (err) {
    await run.setStatus('failed', toErrorData(err)).catch(() => undefined);
    throw err;
  } finally {
    model?.dispose();
  }
}
