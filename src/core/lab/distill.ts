/**
 * Knowledge distillation as a lab run: a finished teacher run (any model the lab can open: an
 * ensemble, a pretrained or imported model, a classical one) scores the student's training texts
 * once; its probabilities are stored with the student's run (so a resumed run reads them instead
 * of asking the teacher again) and become the soft targets of the student's training loop. By
 * default the same config is also trained without a teacher, same seed, as the baseline the
 * record's gain is measured against.
 */
import { loadTrainingData } from '../data';
import type { Example, TrainingData } from '../data/types';
import { argmax } from '../eval/metrics';
import { parseExperimentConfig, type ExperimentConfig } from '../experiment/config';
import { experimentSplits, type ExperimentArgs } from '../experiment/pipeline';
import type { BackendChoice, DistillRecord, ResultRecord } from '../experiment/result';
import { assertConfigSafe, validateConfig } from '../guard';
import { teacherFindings, type TeacherFacts } from '../guard/distill-teacher';
import type { SoftTargets } from '../models/estimator';
import { modelFamily } from '../models/registry';
import type { RunFolder } from '../runs/run-folder';
import type { RunHome } from '../runs/run-home';
import { newRunId } from '../runs/run-id';
import type { AssetStore } from '../storage/asset-store';
import { jsonFile, type BlobStore } from '../storage/port';
import { ConfigError, InputError, LabError, StorageError } from '../util/errors';
import type { DistillRequest, LabEvent } from './api';
import type { ModelOpener, OpenedRun } from './run-model';
import { withVocab } from './vocab';

/** What the lab lends a distillation: where runs and data live, how models open and how one experiment runs. */
export interface DistillDeps {
  store: BlobStore;
  runs: RunHome;
  open: ModelOpener;
  assets: AssetStore;
  exclusive: <T>(runId: string | undefined, job: (signal: AbortSignal) => Promise<T>) => Promise<T>;
  /** One experiment on the requested backend (plain-TypeScript models on none), as the lab's train runs it. */
  experiment: (args: ExperimentCall, backend?: BackendChoice) => Promise<ResultRecord>;
}

/** A pipeline run as the lab starts it: the lab picks the backend; events are the lab's. */
export type ExperimentCall = Omit<ExperimentArgs, 'backend' | 'onEvent'> & { onEvent?: (e: LabEvent) => void };

/** distill.json in the student's run: everything its record needs besides its own scores. */
interface DistillFile {
  teacher: string;
  teacherModel: string;
  alpha: number;
  temperature: number;
  /** The teacher's accuracy on the student's validation examples. */
  teacherAccuracy: number;
  rows: number;
  classes: number;
  baseline?: { run: string; accuracy: number };
}

const PROBS_FILE = 'teacher-train.f32';
const INFO_FILE = 'distill.json';

/** The student's config with its distill block (the request's teacher, alpha and T over the config's own). */
export function distillConfig(req: Pick<DistillRequest, 'config' | 'teacher' | 'alpha' | 'temperature'>, source = 'config'): ExperimentConfig {
  if (typeof req.config !== 'object' || req.config === null || Array.isArray(req.config)) throw new ConfigError(`${source}: expected a JSON object`);
  const raw = req.config as { distill?: Record<string, unknown> };
  const distill: Record<string, unknown> = { ...raw.distill, teacher: req.teacher };
  if (req.alpha !== undefined) distill.alpha = req.alpha;
  if (req.temperature !== undefined) distill.temperature = req.temperature;
  const config = parseExperimentConfig({ ...raw, distill }, source);
  const family = modelFamily(config.model.type);
  if (family !== 'neural' && family !== 'pretrained')
    throw new ConfigError(
      `${source}: a distilled student learns in a training loop (a neural or pretrained model); model.type "${config.model.type}" (${family}) learns from labels only`,
    );
  return config;
}

const accuracyOf = (probs: ArrayLike<number>[], examples: readonly Example[]) => probs.filter((p, i) => argmax(p) === examples[i].label).length / Math.max(1, examples.length);

/** How a finished run used this dataset beyond its training split, for the guard's rule. */
function teacherFacts(t: OpenedRun): TeacherFacts {
  const r = t.result;
  const ens = r.ensemble;
  const fitted = r.cascade
    ? 'its thresholds'
    : ens && ['weighted', 'blend'].includes(ens.method)
      ? `its ${ens.method} combination`
      : ens?.select
        ? 'its member selection'
        : ens?.calibrate
          ? 'its calibration'
          : undefined;
  return {
    run: t.runId,
    fingerprint: t.meta.fingerprint ?? t.result.data.fingerprint,
    fittedOnValidation: fitted,
    imported: r.family === 'pretrained' && r.data.train === 0 && r.epochs === 0,
  };
}

/** The teacher's probabilities on the training texts (stored) and its accuracy on the validation ones (for the record). */
async function askTeacher(deps: DistillDeps, config: ExperimentConfig, data: TrainingData, train: Example[], validation: Example[], onEvent?: (e: LabEvent) => void) {
  const teacher = config.distill!.teacher;
  return deps.open(teacher, async (t) => {
    if (t.meta.classes.join('\n') !== data.meta.classes.join('\n'))
      throw new InputError(`The teacher ${teacher} predicts the classes ${t.meta.classes.join(', ')}, this dataset has ${data.meta.classes.join(', ')}`);
    const findings = teacherFindings(teacherFacts(t), { fingerprint: data.meta.fingerprint });
    assertConfigSafe(findings, config.guard.override);
    for (const f of findings) onEvent?.({ type: 'log', level: 'warn', message: `${f.rule}: ${f.message}` });
    onEvent?.({ type: 'phase', phase: `Teacher ${teacher}: scoring ${train.length} training texts`, done: 0, total: 1 });
    const probs = await t.model.predictProba(train.map((e) => e.text));
    onEvent?.({ type: 'phase', phase: `Teacher ${teacher}: scoring ${train.length} training texts`, done: 1, total: 1 });
    const valProbs = await t.model.predictProba(validation.map((e) => e.text));
    return { probs, model: t.result.model, accuracy: accuracyOf(valProbs, validation) };
  });
}

function record(info: DistillFile, studentAccuracy: number): DistillRecord {
  return {
    teacher: info.teacher,
    teacherModel: info.teacherModel,
    alpha: info.alpha,
    temperature: info.temperature,
    teacherAccuracy: info.teacherAccuracy,
    retention: info.teacherAccuracy > 0 ? studentAccuracy / info.teacherAccuracy : 0,
    baseline: info.baseline && { ...info.baseline, gain: studentAccuracy - info.baseline.accuracy },
  };
}

/** The record's distill field, from the student's validation predictions. */
const finishWith =
  (info: DistillFile): ExperimentArgs['finish'] =>
  async (_model, v) => ({ result: { distill: record(info, accuracyOf(v.probs, v.examples)) } });

function encodeRows(probs: Float32Array[], k: number): Uint8Array {
  const flat = new Float32Array(probs.length * k);
  probs.forEach((p, i) => flat.set(p, i * k));
  return new Uint8Array(flat.buffer);
}

export async function distillRun(deps: DistillDeps, req: DistillRequest, onEvent: (e: LabEvent) => void): Promise<ResultRecord> {
  const config = distillConfig(req);
  config.model = await withVocab(config.model, deps.assets);
  const { alpha, temperature } = config.distill!;
  let runId = req.runId ?? newRunId(config.name);
  while (!req.runId && (await deps.runs.folder(runId).meta())) runId = newRunId(config.name);
  if (runId === req.teacher) throw new InputError(`The student's run ${runId} cannot be its own teacher`);
  const baselineId = `${runId}-baseline`;
  return deps.exclusive(runId, async (signal) => {
    const run = deps.runs.folder(runId);
    // Refused before the teacher and the baseline spend minutes: the student's folder must be free.
    for (const [id, folder] of [[runId, run] as const, ...(req.baseline === false ? [] : [[baselineId, deps.runs.folder(baselineId)] as const])]) {
      const existing = await folder.meta();
      if (existing && !req.overwrite)
        throw new StorageError(`${id} already holds a run (${existing.configName}, status "${existing.status}"): choose another folder, or overwrite it on purpose (--force).`);
    }
    const data = await loadTrainingData(deps.store, req.datasetId);
    // The pipeline's own config check, run now so that a refused config costs no teacher scoring and no baseline.
    assertConfigSafe(validateConfig(config, { train: data.train.length, validation: data.validation.length, classes: data.meta.classes.length }), config.guard.override);
    const { train, validation } = experimentSplits(config, data);
    const teacher = await askTeacher(deps, config, data, train, validation, onEvent);
    const k = data.meta.classes.length;
    const common = { data, signal, onEvent, source: req.source, overwrite: req.overwrite };
    let baseline: DistillFile['baseline'];
    if (req.baseline !== false) {
      onEvent({ type: 'log', level: 'info', message: `Baseline: ${config.name} without a teacher, seed ${config.seed}, into ${baselineId}` });
      const plain: ExperimentConfig = { ...config, name: `${config.name}-baseline`, distill: undefined };
      const r = await deps.experiment({ ...common, config: plain, run: deps.runs.folder(baselineId), runId: baselineId }, req.backend);
      baseline = { run: baselineId, accuracy: r.validation.accuracy };
    }
    const info: DistillFile = {
      teacher: req.teacher,
      teacherModel: teacher.model,
      alpha,
      temperature,
      teacherAccuracy: teacher.accuracy,
      rows: train.length,
      classes: k,
      baseline,
    };
    onEvent({
      type: 'log',
      level: 'info',
      message: `Distilling ${req.teacher} (${teacher.model}, validation accuracy ${teacher.accuracy.toFixed(4)}) into ${config.model.type}: alpha ${alpha}, T ${temperature}`,
    });
    return deps.experiment(
      {
        ...common,
        config,
        run,
        runId,
        softTargets: { probs: teacher.probs, alpha, temperature },
        // Written once the run's folder is begun (a replaced run's files are gone by then), before training.
        prepare: async () => {
          if (!(await run.store.read(run.prefix + PROBS_FILE)))
            await run.store.commit([{ path: run.prefix + PROBS_FILE, bytes: encodeRows(teacher.probs, k) }, jsonFile(run.prefix + INFO_FILE, info)]);
        },
        finish: finishWith(info),
      },
      req.backend,
    );
  });
}

/** A distilled run's soft targets and record, read back from its folder to resume it. */
export async function resumedDistillation(run: RunFolder, config: ExperimentConfig, data: TrainingData): Promise<{ softTargets: SoftTargets; finish: ExperimentArgs['finish'] }> {
  const info = await run.readJson<DistillFile>(INFO_FILE);
  const bytes = await run.store.read(run.prefix + PROBS_FILE);
  if (!info || !bytes) throw new LabError(`${config.name}: this distilled run stopped before its teacher's predictions were stored; start it again instead.`);
  const { train } = experimentSplits(config, data);
  const k = info.classes;
  if (info.rows !== train.length || bytes.byteLength !== info.rows * k * 4)
    throw new LabError(`${config.name}: the stored teacher predictions (${info.rows} rows) do not match the ${train.length} training examples; start the run again.`);
  const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const probs = Array.from({ length: info.rows }, (_, i) => flat.subarray(i * k, (i + 1) * k));
  return { softTargets: { probs, alpha: info.alpha, temperature: info.temperature }, finish: finishWith(info) };
}
