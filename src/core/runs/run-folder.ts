/**
 * A run's files on the storage port (run directory contract in DESIGN.md):
 * `config.json`, `metrics.jsonl`, `result.json`, `checkpoints/`, plus `run.json` (status).
 * In Node the prefix is empty and the store is rooted at `--out DIR`; in the browser all runs
 * share one IndexedDB store under `runs/<id>/`.
 */
import type { ErrorData } from '../util/errors';
import type { MetricRow, ResultRecord } from '../experiment/result';
import type { ModelArtifact } from '../models/estimator';
import { fromBytes, jsonFile, readJson, toBytes, type BlobStore } from '../storage/port';
import { eventFileName, eventRecords } from './tensorboard';
import { checkpointBytes, checkpointWrites, readCheckpoint, writeCheckpoint, type CheckpointPointer, type CheckpointWrites } from './checkpoint';

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface RunMeta {
  runId: string;
  configName: string;
  model: string;
  datasetId: string;
  /** The dataset's fingerprint and where it came from, so a resumed run can check its data. */
  fingerprint?: string;
  source?: string;
  classes: string[];
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  error?: ErrorData;
}

export const MODEL_SLOT = 'model';
/** The resumable checkpoint of a run in progress (weights, optimizer state, position). */
export const LATEST_SLOT = 'latest';
export const BEST_SLOT = 'best';

export class RunFolder {
  constructor(
    readonly store: BlobStore,
    readonly prefix: string,
  ) {}

  static inStore(store: BlobStore, runId: string): RunFolder {
    return new RunFolder(store, `runs/${runId}/`);
  }

  async begin(meta: Omit<RunMeta, 'status' | 'createdAt' | 'updatedAt'>, config: unknown): Promise<RunMeta> {
    const now = new Date().toISOString();
    const full: RunMeta = { ...meta, status: 'running', createdAt: now, updatedAt: now };
    await this.store.commit([jsonFile(this.prefix + 'run.json', full), jsonFile(this.prefix + 'config.json', config), { path: this.prefix + 'metrics.jsonl', bytes: new Uint8Array() }]);
    return full;
  }

  async meta(): Promise<RunMeta | undefined> {
    return readJson<RunMeta>(this.store, this.prefix + 'run.json');
  }

  async setStatus(status: RunStatus, error?: ErrorData): Promise<void> {
    const m = await this.meta();
    if (!m) return;
    await this.store.commit([jsonFile(this.prefix + 'run.json', { ...m, status, error, updatedAt: new Date().toISOString() })]);
  }

  async appendMetrics(rows: MetricRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.store.append(this.prefix + 'metrics.jsonl', toBytes(rows.map((r) => JSON.stringify(r)).join('\n') + '\n'));
    await this.appendEvents(rows);
  }

  /** The same rows as TensorBoard scalars in `tb/` (see tensorboard.ts); the file opens with its version record. */
  private async appendEvents(rows: MetricRow[]): Promise<void> {
    const path = await this.eventFile();
    if (!path) return;
    // Only the first append of this folder object looks for the file, not every flush of a long run.
    const first = this.eventsStarted !== path && (await this.store.read(path)) === undefined;
    await this.store.append(path, eventRecords(rows, Date.now() / 1000, first));
    this.eventsStarted = path;
  }
  private eventsStarted?: string;

  /** The run's TensorBoard event file, named from its start time; none for a folder without run.json. */
  async eventFile(): Promise<string | undefined> {
    const m = await this.meta();
    return m && this.prefix + eventFileName(m.createdAt);
  }

  async metrics(): Promise<MetricRow[]> {
    const b = await this.store.read(this.prefix + 'metrics.jsonl');
    if (!b) return [];
    return fromBytes(b)
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as MetricRow);
  }

  /** Keeps only the metric rows up to `step` (a resumed run logs the rest again). */
  async truncateMetrics(step: number): Promise<void> {
    const keep = (await this.metrics()).filter((r) => r.step <= step);
    const writes = [{ path: this.prefix + 'metrics.jsonl', bytes: toBytes(keep.map((r) => JSON.stringify(r) + '\n').join('')) }];
    const events = await this.eventFile();
    if (events) writes.push({ path: events, bytes: eventRecords(keep, Date.now() / 1000, true) });
    await this.store.commit(writes);
  }

  async config<T = unknown>(): Promise<T | undefined> {
    return readJson<T>(this.store, this.prefix + 'config.json');
  }

  async writeResult(result: ResultRecord): Promise<void> {
    await this.store.commit(await this.resultWrites(result));
  }

  /** result.json and run.json marked done, run.json last: on disk files are renamed in order, so "done" lands only after the rest. */
  async resultWrites(result: ResultRecord): Promise<{ path: string; bytes: Uint8Array }[]> {
    const m = await this.meta();
    const writes = [jsonFile(this.prefix + 'result.json', result)];
    if (m) writes.push(jsonFile(this.prefix + 'run.json', { ...m, status: 'done', error: undefined, updatedAt: new Date().toISOString() }));
    return writes;
  }

  /** The final model's files, to be committed together with the run's other final files. */
  modelWrites(artifact: ModelArtifact): Promise<CheckpointWrites> {
    return checkpointWrites(this.store, this.prefix, MODEL_SLOT, artifact);
  }

  /** Removes every file of the run (an overwrite asked for with --force); a lock held on the folder stays. */
  async clear(): Promise<void> {
    this.eventsStarted = undefined;
    for (const p of await this.store.list(this.prefix)) await this.store.remove(p);
  }

  /** Removes temporary files that writers killed mid-write left behind; returns how many. */
  async sweepTemporaries(): Promise<number> {
    return (await this.store.sweepTemporaries?.(this.prefix)) ?? 0;
  }

  async result(): Promise<ResultRecord | undefined> {
    return readJson<ResultRecord>(this.store, this.prefix + 'result.json');
  }

  saveCheckpoint(slot: string, artifact: ModelArtifact, position?: { step: number; epoch: number }): Promise<CheckpointPointer> {
    return writeCheckpoint(this.store, this.prefix, slot, artifact, position);
  }

  loadCheckpoint(slot: string) {
    return readCheckpoint(this.store, this.prefix, slot);
  }

  async hasCheckpoint(slot: string): Promise<boolean> {
    return (await this.store.read(`${this.prefix}checkpoints/${slot}.json`)) !== undefined;
  }

  /** Drops a checkpoint once it is no longer needed (the finished model replaces 'latest'). */
  async removeCheckpoint(slot: string): Promise<void> {
    const files = (await this.store.list(`${this.prefix}checkpoints/`)).filter((p) => p.slice(`${this.prefix}checkpoints/`.length).startsWith(`${slot}`));
    for (const f of files) await this.store.remove(f);
  }

  checkpointBytes(slot: string): Promise<number> {
    return checkpointBytes(this.store, this.prefix, slot);
  }

  async saveModel(artifact: ModelArtifact): Promise<number> {
    await this.saveCheckpoint(MODEL_SLOT, artifact);
    return checkpointBytes(this.store, this.prefix, MODEL_SLOT);
  }

  async loadModel(): Promise<ModelArtifact> {
    return (await this.loadCheckpoint(MODEL_SLOT)).artifact;
  }

  /** A JSON file of the run by name (risk.json, eval-validation.json, ...). */
  readJson<T>(name: string): Promise<T | undefined> {
    return readJson<T>(this.store, this.prefix + name);
  }

  async writeJson(name: string, value: unknown): Promise<void> {
    await this.store.commit([jsonFile(this.prefix + name, value)]);
  }

  /** Names of the run's top-level files (not checkpoints), sorted. */
  async fileNames(): Promise<string[]> {
    return (await this.store.list(this.prefix))
      .map((p) => p.slice(this.prefix.length))
      .filter((n) => !n.includes('/'))
      .sort();
  }
}
