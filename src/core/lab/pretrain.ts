/**
 * Domain-adaptive pretraining, the lab's side: continues masked-language-model training of a
 * pretrained encoder on the dataset's unlabelled TRAIN texts (the validation and test splits are
 * never used: the guard's training phase refuses the test split outright) and writes a folder in
 * Hugging Face layout through the run home, which a fine-tuning config names as its base (the
 * terminal: `"base": "file:OUT"`). The model work lives in models/pretrained/mlm/.
 */
import { loadTrainingData } from '../data';
import type { BackendChoice, BackendInfo } from '../experiment/result';
import { withPhase } from '../guard/phase';
import type { ModelFolder } from '../models/estimator';
import { readCheckpoint } from '../models/pretrained/checkpoint';
import { withDropout } from '../models/pretrained/model';
import { DEFAULT_MASKING } from '../models/pretrained/mlm/collator';
import { maskingVocab } from '../models/pretrained/mlm/mask-vocab';
import { MlmModel } from '../models/pretrained/mlm/mlm-model';
import { checkSettings, pretrain, totalSteps, type PretrainSettings, type PretrainSummary } from '../models/pretrained/mlm/pretrain-loop';
import { maskedLmFolder } from '../models/pretrained/mlm/save';
import { EncoderTokenizer } from '../models/pretrained/tokenize';
import type { RunHome } from '../runs/run-home';
import { jsonFile } from '../storage/port';
import { CancelledError, LabError } from '../util/errors';
import { Rng, deriveSeed } from '../util/random';
import type { LabEvent } from './api';
import type { PretrainRecord, PretrainRequest } from './pretrain-api';

export type { PretrainRecord, PretrainRequest } from './pretrain-api';

export interface PretrainDeps {
  store: Parameters<typeof loadTrainingData>[0];
  runs: RunHome;
  openBase: (base: string, onEvent?: (e: LabEvent) => void) => Promise<ModelFolder>;
  ensureBackend: (choice?: BackendChoice) => Promise<BackendInfo>;
}

const DEFAULTS = { epochs: 1, batchSize: 8, maxLength: 128, lr: 5e-5, weightDecay: 0.01, warmupRatio: 0.06, seed: 42, checkpointEvery: 500 };
/** Files that mark a folder as already holding a model or a run. */
const OCCUPIED = ['config.json', 'run.json', 'model.safetensors', 'pretrain.json'];

export function pretrainSettings(req: PretrainRequest): PretrainSettings & { maxLength: number } {
  return {
    steps: req.steps,
    epochs: req.epochs ?? DEFAULTS.epochs,
    batchSize: req.batchSize ?? DEFAULTS.batchSize,
    maxLength: req.maxLength ?? DEFAULTS.maxLength,
    lr: req.lr ?? DEFAULTS.lr,
    weightDecay: req.weightDecay ?? DEFAULTS.weightDecay,
    warmupRatio: req.warmupRatio ?? DEFAULTS.warmupRatio,
    schedule: 'linear',
    clipNorm: 1,
    masking: { ...DEFAULT_MASKING, maskProb: req.maskProb ?? DEFAULT_MASKING.maskProb, wholeWord: req.wholeWord ?? false },
    seed: req.seed ?? DEFAULTS.seed,
    logEvery: 1,
    checkpointEvery: req.checkpointEvery ?? DEFAULTS.checkpointEvery,
  };
}

/** Runs inside the lab's one-job-at-a-time slot; `signal` cancels between steps. */
export async function pretrainRun(deps: PretrainDeps, req: PretrainRequest, signal: AbortSignal, onEvent?: (e: LabEvent) => void): Promise<PretrainRecord> {
  const settings = pretrainSettings(req);
  // Bad settings are refused before anything is read or written.
  checkSettings(settings, 1);
  if (req.maxTexts !== undefined && !(Number.isInteger(req.maxTexts) && req.maxTexts > 0))
    throw new LabError(`pretrain: max texts must be a positive integer (got ${req.maxTexts})`);
  if (req.dropout !== undefined && !(req.dropout >= 0 && req.dropout < 1)) throw new LabError(`pretrain: dropout must be in [0, 1) (got ${req.dropout})`);
  if (!Number.isInteger(settings.maxLength) || settings.maxLength < 4) throw new LabError(`pretrain: max length must be an integer ≥ 4 (got ${settings.maxLength})`);
  const folder = deps.runs.folder(req.out);
  const present = await folder.store.list(folder.prefix);
  const taken = OCCUPIED.filter((f) => present.includes(folder.prefix + f));
  if (taken.length && !req.overwrite) throw new LabError(`pretrain: ${req.out} already holds ${taken.join(', ')}: choose another folder, or replace it (--force)`);

  return withPhase('training', async () => {
    const data = await loadTrainingData(deps.store, req.datasetId);
    // Only the train split is pretrained on: validation must stay unseen for model selection.
    const all = data.train.map((e) => e.text);
    const texts = req.maxTexts && req.maxTexts < all.length ? sample(all, req.maxTexts, settings.seed) : all;
    const backend = await deps.ensureBackend(req.backend);
    onEvent?.({ type: 'run-started', runId: req.out, backend });
    const source = await deps.openBase(req.base, onEvent);
    const checkpoint = await readCheckpoint(source.read);
    const tokenizer = await EncoderTokenizer.fromFolder(source.read);
    const vocab = await maskingVocab(source.read);
    const ids: number[][] = [];
    for (let i = 0; i < texts.length; i++) {
      if (signal.aborted) throw new CancelledError();
      ids.push(tokenizer.encode(texts[i], settings.maxLength));
      if (i % 2000 === 0 || i === texts.length - 1) onEvent?.({ type: 'phase', phase: 'Tokenising the train texts', done: i + 1, total: texts.length });
    }
    const config = req.dropout === undefined ? checkpoint.config : withDropout(checkpoint.config, req.dropout);
    const model = MlmModel.fromCheckpoint(checkpoint, { seed: deriveSeed(settings.seed, 'mlm-head'), config });
    const total = totalSteps(ids.length, settings);
    const record = (step: number, losses: PretrainSummary['losses'], status: PretrainRecord['status'], seconds?: number): PretrainRecord => ({
      status,
      out: req.out,
      base: req.base,
      architecture: model.spec.architecture,
      freshHead: model.freshHead,
      dataset: { id: data.meta.id, fingerprint: data.meta.fingerprint, split: 'train', texts: texts.length, of: all.length },
      backend: backend.backend,
      settings: { ...settings, dropout: req.dropout },
      step,
      totalSteps: total,
      losses,
      seconds,
      at: new Date().toISOString(),
    });
    const losses: PretrainSummary['losses'] = [];
    // One commit per save: a killed run leaves the last complete folder, never half of one.
    const save = async (r: PretrainRecord) => {
      const files = await maskedLmFolder(model, { config: checkpoint.config, read: source.read });
      await folder.store.commit([...files.map((f) => ({ path: folder.prefix + f.name, bytes: f.bytes })), jsonFile(folder.prefix + 'pretrain.json', r)]);
    };
    try {
      if (model.freshHead) onEvent?.({ type: 'log', level: 'info', message: `${req.base} has no MLM head: a fresh ${model.spec.architecture} head is initialised (seeded)` });
      onEvent?.({ type: 'phase', phase: 'Masked-language-model training', done: 0, total });
      const summary = await pretrain(model, ids, tokenizer.padId, vocab, settings, {
        signal,
        onProgress: (p) => {
          losses.push({ step: p.step, loss: p.loss, accuracy: p.accuracy });
          onEvent?.({
            type: 'step',
            step: p.step,
            totalSteps: p.totalSteps,
            epoch: p.epoch,
            loss: p.loss,
            accuracy: p.accuracy,
            lr: p.lr,
            examplesPerSec: p.examplesPerSec,
            tokensPerSec: p.tokensPerSec,
            tensors: p.tensors,
          });
        },
        onCheckpoint: (step) => save(record(step, losses, 'running')),
      });
      onEvent?.({ type: 'phase', phase: `Saving ${req.out}`, done: 0, total: 1 });
      const done = record(summary.steps, summary.losses, 'done', summary.seconds);
      await save(done);
      return done;
    } finally {
      model.dispose();
    }
  });
}

/** A seeded sample of n texts, in the train split's order. */
function sample(texts: string[], n: number, seed: number): string[] {
  const picked = new Rng(deriveSeed(seed, 'pretrain-texts'))
    .shuffle(texts.map((_, i) => i))
    .slice(0, n)
    .sort((a, b) => a - b);
  return picked.map((i) => texts[i]);
}
