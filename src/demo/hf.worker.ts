/**
 * The demo's ONNX worker: one Hugging Face folder run by transformers.js off the page's thread,
 * on WebGPU when the machine has a real GPU and on WASM otherwise (hf-pipeline.ts). The page
 * reaches it through Comlink (hf-model.ts) and ends it by terminating the worker.
 */
import * as Comlink from 'comlink';
import { openHfPipeline, type HfOpened, type HfPipeline } from './hf-pipeline';

let opened: HfPipeline | undefined;

const api = {
  async open(folder: string): Promise<HfOpened> {
    if (opened) throw new Error('this worker already runs a model: the page opens a worker per model');
    opened = await openHfPipeline(folder, (navigator as Navigator & { gpu?: GPU }).gpu);
    return { device: opened.device, runtime: opened.runtime };
  },
  async scores(text: string): Promise<{ label: string; score: number }[]> {
    if (!opened) throw new Error('no model is open in the ONNX worker');
    return opened.scores(text);
  },
};

export type HfWorkerApi = typeof api;

Comlink.expose(api);
