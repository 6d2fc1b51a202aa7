/**
 * A Hugging Face folder with an ONNX graph run by `@huggingface/transformers`, inside the demo's
 * ONNX worker (hf.worker.ts). Files come from the folder's URL only: remote models point at it,
 * local models and the browser cache are off, and ONNX Runtime's WebAssembly (which also carries
 * its WebGPU execution provider) comes from this build rather than a CDN.
 */
import ortMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { describeOnnxDevice, pickOnnxDevice, type OnnxDevice } from './onnx-device';

/** What the page is told once the model is ready. */
export interface HfOpened {
  /** Where it runs, in the words the page shows ("ONNX Runtime on WebGPU" / "… on WASM (reason)"). */
  runtime: string;
  device: OnnxDevice['device'];
}

export interface HfPipeline extends HfOpened {
  /** Scores per class label, for every label the model has. */
  scores(text: string): Promise<{ label: string; score: number }[]>;
  dispose(): Promise<void>;
}

/** `folder` ends in '/'; its last path segment names the model to transformers.js. */
export async function openHfPipeline(folder: string, gpu: GPU | undefined): Promise<HfPipeline> {
  const url = new URL(folder);
  const segments = url.pathname.split('/').filter(Boolean);
  const model = segments.pop()!;
  const { env, pipeline } = await import('@huggingface/transformers');
  env.allowLocalModels = false;
  env.allowRemoteModels = true;
  env.useBrowserCache = false;
  env.remoteHost = new URL('/' + segments.map((s) => s + '/').join(''), url).href;
  env.remotePathTemplate = '{model}';
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    wasm.wasmPaths = { mjs: new URL(ortMjs, location.href).href, wasm: new URL(ortWasm, location.href).href };
    // Threads need a cross-origin-isolated page; one thread works everywhere.
    wasm.numThreads = 1;
  }
  const open = async (device: OnnxDevice['device']) => {
    const classify = await pipeline('text-classification', model, { dtype: 'fp32', device });
    try {
      // A WebGPU session can build and still fail on its first run (a shader the adapter refuses): find out here, where WASM can still take over.
      await classify('warm-up', { top_k: null });
    } catch (e) {
      await classify.dispose();
      throw e;
    }
    return classify;
  };
  let chosen = await pickOnnxDevice(gpu);
  let classify: Awaited<ReturnType<typeof open>> | undefined;
  if (chosen.device === 'webgpu') {
    try {
      classify = await open('webgpu');
    } catch (e) {
      chosen = { device: 'wasm', reason: `WebGPU failed: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  classify ??= await open('wasm');
  const run = classify;
  return {
    device: chosen.device,
    runtime: describeOnnxDevice(chosen),
    scores: async (text) => (await run(text, { top_k: null })) as { label: string; score: number }[],
    dispose: () => run.dispose(),
  };
}
