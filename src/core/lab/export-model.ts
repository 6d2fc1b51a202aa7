/**
 * `exportModel`: a finished run as files another tool reads. Pretrained-tier runs become a
 * Hugging Face folder (`hf`), the same plus an ONNX graph (`onnx`, BERT so far), or their bare
 * PEFT adapter (`peft`); every run, of any family, can go out as the product's own run bundle
 * (`bundle`: its safetensors checkpoint and JSON files, which the demo page and the server load).
 */
import { hfFiles, peftExportFiles } from '../export/hf';
import { mergedPretrained } from '../export/merged';
import { onnxFiles } from '../export/onnx/export';
import { PRETRAINED_KIND } from '../models/pretrained/estimator';
import { readFinishedRun } from '../runs/finished-run';
import type { RunHome } from '../runs/run-home';
import type { AssetStore } from '../storage/asset-store';
import { InputError } from '../util/errors';

export const EXPORT_FORMATS = ['hf', 'onnx', 'peft', 'bundle'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedFile {
  path: string;
  bytes: Uint8Array;
}

export interface ExportedModel {
  runId: string;
  format: ExportFormat;
  files: ExportedFile[];
}

export interface ExportOptions {
  /** onnx: int8 weights for the matrix products. */
  int8?: boolean;
}

export interface ExportDeps {
  runs: RunHome;
  assets: AssetStore;
  /** Folding LoRA / IA3 runs computes with tensors. */
  startBackend: () => Promise<unknown>;
}

const listed = (files: Record<string, Uint8Array>): ExportedFile[] =>
  Object.entries(files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, bytes]) => ({ path, bytes }));

export async function exportModelOf(deps: ExportDeps, runId: string, format: ExportFormat, opts: ExportOptions = {}): Promise<ExportedModel> {
  if (!EXPORT_FORMATS.includes(format)) throw new InputError(`--format ${String(format)}: expected one of ${EXPORT_FORMATS.join(', ')}`);
  const run = deps.runs.folder(runId);
  const { meta } = await readFinishedRun(run, runId);
  if (format === 'bundle') {
    const paths = await run.store.list(run.prefix);
    return { runId, format, files: await Promise.all(paths.sort().map(async (p) => ({ path: p.slice(run.prefix.length), bytes: (await run.store.read(p))! }))) };
  }
  const artifact = await run.loadModel();
  if (artifact.kind !== PRETRAINED_KIND)
    throw new InputError(
      `${runId}: a '${meta.model}' run is not a pretrained encoder, so it has no Hugging Face or ONNX form; it exports as the product's own run bundle (safetensors + JSON) with --format bundle, which the demo page and the server load`,
    );
  if (format === 'peft') return { runId, format, files: listed(peftExportFiles(artifact)) };
  await deps.startBackend();
  const merged = await mergedPretrained(artifact, deps.assets);
  return { runId, format, files: listed(format === 'onnx' ? await onnxFiles(merged, opts) : await hfFiles(merged)) };
}
