/**
 * BERT, RoBERTa and ELECTRA sequence classifiers as ONNX graphs with the interface
 * `@huggingface/transformers` expects (int64 [batch, sequence] inputs input_ids, attention_mask,
 * and token_type_ids where the model has more than one type; output `logits`). The computation is
 * the product's own encoders (models/pretrained/{bert-encoder,roberta,electra}.ts), which follow
 * transformers' *ForSequenceClassification in eval mode: they differ only in positions (RoBERTa
 * counts from padding_idx + 1 over non-padding tokens), ELECTRA's embeddings_project, and the
 * head (BERT's Tanh pooler + classifier; RoBERTa's dense + tanh + out_proj; ELECTRA's dense +
 * GELU + out_proj).
 */
import type { FloatTensor } from '../../models/pretrained/checkpoint';
import type { HfConfig } from '../../models/pretrained/types';
import { InputError } from '../../util/errors';
import { INT64, type Graph } from './proto';
import { additiveMask, Builder, encoderBlock, labelCount } from './graph-builder';

export const BERT_FAMILY = ['bert', 'roberta', 'electra'];

function option(config: HfConfig, key: string, fallback: number): number {
  const v = config[key];
  return typeof v === 'number' ? v : fallback;
}

/** RoBERTa's positions: padding_idx + cumsum(input_ids != padding_idx) on tokens, padding_idx on padding. */
function robertaPositions(b: Builder, paddingIdx: number): string {
  const pad = b.ints('padding_idx', [paddingIdx], []);
  const notPad = b.op('Cast', [b.op('Not', [b.op('Equal', ['input_ids', pad])])], [{ name: 'to', i: INT64 }]);
  const counted = b.op('Mul', [b.op('CumSum', [notPad, b.ints('sequence_axis', [1], [])]), notPad]);
  return b.op('Add', [counted, pad]);
}

export function bertGraph(config: HfConfig, weights: Record<string, FloatTensor>): Graph {
  const type = String(config.model_type);
  if (!BERT_FAMILY.includes(type)) throw new InputError(`ONNX export: model_type '${type}' is not written as ONNX (bert, roberta, electra, distilbert, deberta-v2)`);
  const pos = config.position_embedding_type;
  if (pos !== undefined && pos !== null && pos !== 'absolute') throw new InputError(`ONNX export: position_embedding_type '${String(pos)}' is not supported (absolute)`);
  const hidden = Number(config.hidden_size);
  const shape = { hidden, heads: Number(config.num_attention_heads), eps: option(config, 'layer_norm_eps', 1e-12), act: String(config.hidden_act ?? 'gelu') };
  const typed = option(config, 'type_vocab_size', 2) > 1;
  const b = new Builder(weights);
  const p = type;
  const e = `${p}.embeddings`;

  // Embeddings: words + positions + token types, LayerNorm, then ELECTRA's projection to hidden_size.
  let positions: string;
  if (type === 'roberta') positions = robertaPositions(b, option(config, 'pad_token_id', 1));
  else {
    const length = b.op('Gather', [b.op('Shape', ['input_ids']), b.ints('one', [1], [])], [{ name: 'axis', i: 0 }]);
    positions = b.op('Range', [b.ints('zero', [0], []), length, 'one']);
  }
  const words = b.op('Gather', [b.weight(`${e}.word_embeddings.weight`), 'input_ids']);
  let x = b.op('Add', [words, b.op('Gather', [b.weight(`${e}.position_embeddings.weight`), positions])]);
  if (option(config, 'type_vocab_size', 2) > 0) {
    // One type (RoBERTa): every token has type 0, as the product computes it.
    const types = typed ? 'token_type_ids' : b.ints('type_zero', [0], []);
    x = b.op('Add', [x, b.op('Gather', [b.weight(`${e}.token_type_embeddings.weight`), types])]);
  }
  x = b.layerNorm(x, `${e}.LayerNorm`, shape.eps);
  if (type === 'electra' && weights['electra.embeddings_project.weight']) x = b.linear(x, 'electra.embeddings_project');

  const mask = additiveMask(b);
  for (let l = 0; l < Number(config.num_hidden_layers); l++) {
    const m = `${p}.encoder.layer.${l}`;
    const modules = {
      query: `${m}.attention.self.query`,
      key: `${m}.attention.self.key`,
      value: `${m}.attention.self.value`,
      output: `${m}.attention.output.dense`,
      attentionNorm: `${m}.attention.output.LayerNorm`,
      up: `${m}.intermediate.dense`,
      down: `${m}.output.dense`,
      outputNorm: `${m}.output.LayerNorm`,
    };
    x = encoderBlock(b, x, modules, shape, mask);
  }

  const first = b.firstToken(x);
  let logits: string;
  if (type === 'bert') logits = b.linear(b.op('Tanh', [b.linear(first, 'bert.pooler.dense')]), 'classifier');
  else {
    const dense = b.linear(first, 'classifier.dense');
    // ElectraClassificationHead applies GELU whatever hidden_act says (as transformers).
    logits = b.linear(type === 'roberta' ? b.op('Tanh', [dense]) : b.activation(dense, 'gelu'), 'classifier.out_proj');
  }
  const inputs = typed ? ['input_ids', 'attention_mask', 'token_type_ids'] : ['input_ids', 'attention_mask'];
  return b.finish(`${type}_for_sequence_classification`, logits, inputs, labelCount(config));
}
