/**
 * `?model=URL`: what kind of exported folder is at the URL, told by the files it serves. A
 * Hugging Face folder (config.json with id2label, and onnx/model.onnx) runs in its own worker through
 * `@huggingface/transformers`; a run bundle (run.json and its checkpoint) is handed to the lab
 * worker, which keeps it as a run, so it then behaves as any run of this browser.
 */
import { BUNDLE_FILES, type BundleFile } from '../core/lab/open-bundle';
import { lab } from '../ui/lab-client';
import type { UrlModel } from './hf-model';

export type { UrlModel } from './hf-model';

export type Opened = { kind: 'run'; runId: string } | UrlModel;

/** The folder as a URL ending in '/', so files resolve inside it. */
export function folderUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw, location.href);
  } catch {
    throw new Error(`?model=${raw}: not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`?model=${raw}: only http and https URLs are read`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

async function fetchBytes(url: URL): Promise<Uint8Array | undefined> {
  let res: Response;
  try {
    res = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    throw new Error(`${url.href}: could not be fetched (${e instanceof Error ? e.message : String(e)}; a server on another origin must allow it with CORS)`, { cause: e });
  }
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`${url.href}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

function parsed(bytes: Uint8Array | undefined, url: URL): unknown {
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error(`${url.href}: not JSON`);
  }
}

async function bundleFiles(folder: URL, first: BundleFile): Promise<BundleFile[]> {
  const files: BundleFile[] = [first];
  for (const path of BUNDLE_FILES.slice(1)) {
    const bytes = await fetchBytes(new URL(path, folder));
    if (!bytes) throw new Error(`${folder.href}: not a complete run bundle (${path} missing)`);
    files.push({ path, bytes });
  }
  const pointer = parsed(files[files.length - 1].bytes, new URL('checkpoints/model.json', folder)) as { files?: unknown };
  if (!Array.isArray(pointer?.files)) throw new Error(`${folder.href}checkpoints/model.json lists no checkpoint files`);
  for (const f of pointer.files as unknown[]) {
    const path = `checkpoints/${String(f)}`;
    const bytes = await fetchBytes(new URL(path, folder));
    if (!bytes) throw new Error(`${folder.href}: not a complete run bundle (${path} missing)`);
    files.push({ path, bytes });
  }
  const metrics = await fetchBytes(new URL('metrics.jsonl', folder));
  if (metrics) files.push({ path: 'metrics.jsonl', bytes: metrics });
  return files;
}

export async function openUrlModel(raw: string): Promise<Opened> {
  const folder = folderUrl(raw);
  const runJson = await fetchBytes(new URL('run.json', folder));
  if (runJson) return { kind: 'run', runId: await lab().openBundle(await bundleFiles(folder, { path: 'run.json', bytes: runJson }), folder.href) };
  const config = parsed(await fetchBytes(new URL('config.json', folder)), new URL('config.json', folder)) as { id2label?: Record<string, string> } | undefined;
  if (!config) throw new Error(`${folder.href}: not a model folder (neither run.json of a run bundle nor config.json of a Hugging Face folder is there)`);
  const onnx = await fetch(new URL('onnx/model.onnx', folder), { method: 'HEAD', cache: 'no-store' }).catch(() => undefined);
  if (!onnx?.ok) throw new Error(`${folder.href}: a Hugging Face folder without onnx/model.onnx; the page runs ONNX exports (agnews export --format onnx)`);
  const { openHfOnnx } = await import('./hf-model');
  return openHfOnnx(folder, config);
}
