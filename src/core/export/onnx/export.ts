/** The `onnx` export: the Hugging Face folder plus `onnx/model.onnx`, where `@huggingface/transformers` looks for it. */
import { InputError } from '../../util/errors';
import { exportedConfig, hfFiles } from '../hf';
import type { MergedModel } from '../merged';
import { bertGraph } from './bert-graph';
import { debertaGraph } from './deberta-graph';
import { distilbertGraph } from './distilbert-graph';
import { OPSET } from './graph-builder';
import { encodeModel } from './proto';

export async function onnxFiles(m: MergedModel, opts: { int8?: boolean } = {}): Promise<Record<string, Uint8Array>> {
  if (opts.int8) throw new InputError('--int8 is not written yet: export float32 ONNX (without --int8)');
  const config = exportedConfig(m.meta.hfConfig, m.meta.classes);
  const graphs: Record<string, typeof bertGraph> = { distilbert: distilbertGraph, 'deberta-v2': debertaGraph };
  const graph = (graphs[String(config.model_type)] ?? bertGraph)(config, m.weights);
  return { ...(await hfFiles(m)), 'onnx/model.onnx': encodeModel(graph, OPSET) };
}
