/**
 * The page's handle on a Hugging Face folder with an ONNX graph (`agnews export --format onnx`,
 * or any text classifier laid out the same way): the folder is checked here, and the model runs
 * in its own worker (hf.worker.ts), so a slow prediction never holds the page.
 */
import * as Comlink from 'comlink';
import type { HfWorkerApi } from './hf.worker';

/** A model the page runs itself, outside the lab worker. */
export interface UrlModel {
  kind: 'onnx';
  label: string;
  /** Where it runs: "ONNX Runtime on WebGPU", or "ONNX Runtime on WASM (why not WebGPU)". */
  runtime: string;
  predict(text: string): Promise<{ classes: string[]; probs: number[] }>;
  close(): void;
}

/** transformers.js names a model by a Hub-like id; the folder's last path segment is used as one. */
const MODEL_ID = /^[\w\-.]{1,96}$/;

export async function openHfOnnx(folder: URL, config: { id2label?: Record<string, string> }): Promise<UrlModel> {
  const id2label = config.id2label;
  if (!id2label || !Object.keys(id2label).length) throw new Error(`${folder.href}config.json has no id2label: the demo needs the class names of a text classifier`);
  const classes = Object.keys(id2label)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => id2label[k]);
  const model = folder.pathname.split('/').filter(Boolean).pop();
  if (!model || !MODEL_ID.test(model)) throw new Error(`${folder.href}: the folder's name must be letters, digits, '-', '_' or '.' (it names the model to the ONNX runtime)`);

  const worker = new Worker(new URL('./hf.worker.ts', import.meta.url), { type: 'module', name: 'onnx' });
  const remote = Comlink.wrap<HfWorkerApi>(worker);
  // A worker that fails to load never answers a call: its error event ends the wait instead.
  const failed = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (e) => reject(new Error(`the ONNX worker failed to start: ${e.message || 'its script did not load'}`)), { once: true }),
  );
  let runtime: string;
  try {
    ({ runtime } = await Promise.race([remote.open(folder.href), failed]));
  } catch (e) {
    worker.terminate();
    throw e;
  }
  return {
    kind: 'onnx',
    label: `${folder.href} (ONNX)`,
    runtime,
    async predict(text) {
      const out = await remote.scores(text);
      const probs = classes.map((c) => out.find((o) => o.label === c)?.score ?? 0);
      return { classes, probs };
    },
    // Terminating frees the session and its GPU or WASM memory with the worker.
    close: () => worker.terminate(),
  };
}
