/**
 * DistilBertForSequenceClassification as an ONNX graph (inputs input_ids and attention_mask, no
 * token types; output `logits`), computed as the product's models/pretrained/distilbert.ts: word +
 * learned position embeddings, the shared post-LayerNorm blocks under q_lin/k_lin/v_lin/out_lin and
 * ffn.lin1/lin2 with LayerNorm eps 1e-12, then pre_classifier + ReLU + classifier on the first token.
 */
import type { FloatTensor } from '../../models/pretrained/checkpoint';
import type { HfConfig } from '../../models/pretrained/types';
import { InputError } from '../../util/errors';
import type { Graph } from './proto';
import { additiveMask, Builder, encoderBlock, labelCount } from './graph-builder';

export function distilbertGraph(config: HfConfig, weights: Record<string, FloatTensor>): Graph {
  if (config.sinusoidal_pos_embds === true) throw new InputError('ONNX export: distilbert with sinusoidal_pos_embds is not supported');
  const shape = { hidden: Number(config.dim), heads: Number(config.n_heads), eps: 1e-12, act: String(config.activation ?? 'gelu') };
  const b = new Builder(weights);
  const e = 'distilbert.embeddings';

  const length = b.op('Gather', [b.op('Shape', ['input_ids']), b.ints('one', [1], [])], [{ name: 'axis', i: 0 }]);
  const positions = b.op('Range', [b.ints('zero', [0], []), length, 'one']);
  const words = b.op('Gather', [b.weight(`${e}.word_embeddings.weight`), 'input_ids']);
  const pos = b.op('Gather', [b.weight(`${e}.position_embeddings.weight`), positions]);
  let x = b.layerNorm(b.op('Add', [words, pos]), `${e}.LayerNorm`, shape.eps);

  const mask = additiveMask(b);
  for (let l = 0; l < Number(config.n_layers); l++) {
    const m = `distilbert.transformer.layer.${l}`;
    const modules = {
      query: `${m}.attention.q_lin`,
      key: `${m}.attention.k_lin`,
      value: `${m}.attention.v_lin`,
      output: `${m}.attention.out_lin`,
      attentionNorm: `${m}.sa_layer_norm`,
      up: `${m}.ffn.lin1`,
      down: `${m}.ffn.lin2`,
      outputNorm: `${m}.output_layer_norm`,
    };
    x = encoderBlock(b, x, modules, shape, mask);
  }

  const pooled = b.op('Relu', [b.linear(b.firstToken(x), 'pre_classifier')]);
  return b.finish('distilbert_for_sequence_classification', b.linear(pooled, 'classifier'), ['input_ids', 'attention_mask'], labelCount(config));
}
