/**
 * The live training run. Worker events (up to ~50/s) are queued and applied in one state
 * update every 100 ms; curve points are capped by decimation.
 */
import { create } from 'zustand';
import type { BackendChoice, BackendInfo, ResultRecord } from '../../core/experiment/result';
import type { LabEvent } from '../../core/lab/api';
import type { Alert } from '../../core/guard/monitor';
import { lab, listener, requestPersistOnce } from '../lab-client';
import { isCancelled, toShownError, type ShownError } from '../util/errors';
import { configEpochs, type TrainProgress } from '../util/progress';
import { appendDecimated, emptyDecimated, type Decimated, type Point } from '../util/series';
import { useLists } from './lists';

export interface StepPoint {
  step: number;
  loss: number;
  accuracy: number;
  /** Tensor memory in use at this step (tf.memory().numBytes in the worker), for the quota dashboard. */
  bytes?: number;
  /** WebGPU: GPU buffer bytes allocated, pool included. */
  gpuBytes?: number;
  /** When the step was seen (ms since the epoch), for the dashboard's memory-over-time curve. */
  at?: number;
}

export interface EpochPoint {
  step: number;
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  valMacroF1?: number;
}

export interface TrainStatus extends TrainProgress {
  lr?: number;
}

export interface LogLine {
  level: 'info' | 'warn';
  message: string;
  at: number;
}

const MAX_LOG = 200;

interface TrainState {
  running: boolean;
  cancelling: boolean;
  runId?: string;
  backend?: BackendInfo;
  steps: Decimated<StepPoint>;
  epochs: EpochPoint[];
  status?: TrainStatus;
  phase?: { phase: string; done: number; total: number };
  logs: LogLine[];
  /** Epochs the submitted config asks for: the total shown when the trainer does not send one. */
  configEpochs?: number;
  /** Overfitting monitors' alerts of the live run, in order. */
  alerts: Alert[];
  result?: ResultRecord;
  error?: ShownError;
  cancelled: boolean;
  start: (req: { datasetId: string; config: unknown; backend: BackendChoice }) => Promise<void>;
  /** Continues an interrupted run from its last checkpoint, with the same live view. */
  resume: (runId: string) => Promise<void>;
  cancel: () => Promise<void>;
}

const fresh = () => ({
  runId: undefined,
  backend: undefined,
  steps: emptyDecimated<StepPoint>(),
  epochs: [] as EpochPoint[],
  status: undefined,
  phase: undefined,
  logs: [] as LogLine[],
  configEpochs: undefined as number | undefined,
  alerts: [] as Alert[],
  result: undefined,
  error: undefined,
  cancelled: false,
});

export const useTrain = create<TrainState>()((set, get) => {
  let queue: LabEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    const events = queue;
    queue = [];
    if (events.length) set((s) => reduce(s, events));
  };
  const onEvent = (e: LabEvent) => {
    // The run now exists in storage: let the Runs page show it as running.
    if (e.type === 'run-started') void useLists.getState().refreshRuns();
    queue.push(e);
    timer ??= setTimeout(flush, 100);
  };

  /** Runs one training job (new or resumed) with the live view, whatever its ending. */
  const run = async (job: () => Promise<ResultRecord>, epochs?: number) => {
    if (get().running) return;
    set({ ...fresh(), configEpochs: epochs, running: true, cancelling: false });
    try {
      // A run writes checkpoints and a model: ask (once) that the origin's storage be kept first.
      await requestPersistOnce();
      const result = await job();
      if (timer) clearTimeout(timer);
      flush();
      set({ result });
    } catch (err) {
      if (timer) clearTimeout(timer);
      flush();
      if (isCancelled(err)) set({ cancelled: true });
      else set({ error: toShownError(err) });
    } finally {
      set({ running: false, cancelling: false, phase: undefined });
      const lists = useLists.getState();
      lists.storageChanged();
      void lists.refreshRuns();
    }
  };

  return {
    running: false,
    cancelling: false,
    ...fresh(),
    start: async ({ datasetId, config, backend }) => run(() => lab().train({ datasetId, config, backend }, listener(onEvent)), configEpochs(config)),
    resume: async (runId) => run(() => lab().resume(runId, listener(onEvent))),
    cancel: async () => {
      if (!get().running) return;
      set({ cancelling: true });
      try {
        await lab().cancel();
      } catch (err) {
        set({ error: toShownError(err) });
      }
    },
  };
});

function reduce(s: TrainState, events: LabEvent[]): Partial<TrainState> {
  const newSteps: StepPoint[] = [];
  let epochs = s.epochs;
  let logs = s.logs;
  let alerts = s.alerts;
  let { status, phase, runId, backend, result, error, cancelled } = s;
  for (const e of events) {
    switch (e.type) {
      case 'step': {
        const now = Date.now();
        newSteps.push({ step: e.step, loss: e.loss, accuracy: e.accuracy, bytes: e.bytes, gpuBytes: e.gpuBytes, at: now });
        status = {
          epoch: e.epoch,
          totalEpochs: e.totalEpochs ?? s.configEpochs,
          step: e.step,
          totalSteps: e.totalSteps,
          examplesPerSec: e.examplesPerSec,
          lr: e.lr,
          firstAt: status?.firstAt ?? now,
          firstStep: status?.firstStep ?? e.step,
          at: now,
        };
        // Steps mean the set-up phases (dictionary, vocabulary) are over.
        phase = { phase: 'Training', done: e.step, total: e.totalSteps ?? 0 };
        break;
      }
      case 'epoch':
        if (epochs === s.epochs) epochs = epochs.slice();
        epochs.push({
          step: e.step,
          epoch: e.epoch,
          trainLoss: e.train.loss,
          trainAccuracy: e.train.accuracy,
          valLoss: e.validation?.loss,
          valAccuracy: e.validation?.accuracy,
          valMacroF1: e.validation?.macroF1,
        });
        if (status) status = { ...status, step: e.step, examplesPerSec: e.examplesPerSec };
        break;
      case 'phase':
        phase = { phase: e.phase, done: e.done, total: e.total };
        break;
      case 'log':
        if (logs === s.logs) logs = logs.slice();
        logs.push({ level: e.level, message: e.message, at: Date.now() });
        break;
      case 'alert':
        // Charted by the overfitting dashboard, and echoed in the log where the user is looking.
        if (alerts === s.alerts) alerts = alerts.slice();
        alerts.push(e);
        if (logs === s.logs) logs = logs.slice();
        logs.push({ level: 'warn', message: `Monitor ${e.rule} (epoch ${e.epoch}, ${e.action}): ${e.message}`, at: Date.now() });
        break;
      case 'run-started':
        runId = e.runId;
        backend = e.backend;
        break;
      case 'done':
        result = e.result;
        break;
      case 'failed':
        if (e.error.name === 'CancelledError') cancelled = true;
        else error = toShownError(e.error);
        break;
      case 'import-progress':
        phase = { phase: e.message, done: e.done, total: e.total };
        break;
    }
  }
  if (logs.length > MAX_LOG) logs = logs.slice(-MAX_LOG);
  return { steps: appendDecimated(s.steps, newSteps), epochs, logs, alerts, status, phase, runId, backend, result, error, cancelled };
}

/** Chart series from the live state. */
export const stepSeries = (steps: StepPoint[], key: 'loss' | 'accuracy'): Point[] => steps.map((p) => ({ x: p.step, y: p[key] }));

export function epochSeries(epochs: EpochPoint[], key: 'valLoss' | 'valAccuracy' | 'valMacroF1' | 'trainLoss' | 'trainAccuracy'): Point[] {
  const out: Point[] = [];
  for (const p of epochs) {
    const v = p[key];
    if (v !== undefined && Number.isFinite(v)) out.push({ x: p.step, y: v });
  }
  return out;
}
