/**
 * A Hugging Face folder with an ONNX graph (`agnews export --format onnx`, or any text classifier
 * laid out the same way) at a URL, run by `@huggingface/transformers` in the page. Files come
 * from that URL only: remote models point at it, local models and the browser cache are off, and
 * ONNX Runtime's WebAssembly comes from this build rather than a CDN.
 */
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

/** A model the page runs itself, outside the lab worker. */
export interface UrlModel {
  kind: 'onnx';
  label: string;
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
  const segments = folder.pathname.split('/').filter(Boolean);
  const model = segments.pop();
  if (!model || !MODEL_ID.test(model)) throw new Error(`${folder.href}: the folder's name must be letters, digits, '-', '_' or '.' (it names the model to the ONNX runtime)`);

  const { env, pipeline } = await import('@huggingface/transformers');
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.useBrowserCache = false;
  env.remoteHost = new URL('/' + segments.map((s) => s + '/').join(''), folder).href;
  env.remotePathTemplate = '{model}';
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    wasm.wasmPaths = { mjs: new URL(ortMjs, location.href).href, wasm: new URL(ortWasm, location.href).href };
    // Threads need a cross-origin-isolated page; one thread works everywhere.
    wasm.numThreads = 1;
  }
  const classify = await pipeline('text-classification', model, { dtype: 'fp32', device: 'wasm' });
  return {
    kind: 'onnx',
    label: `${folder.href} (ONNX)`,
    async predict(text) {
      const out = (await classify(text, { top_k: null })) as { label: string; score: number }[];
      const probs = classes.map((c) => out.find((o) => o.label === c)?.score ?? 0);
      return { classes, probs };
    },
    close: () => void classify.dispose(),
  };
}
