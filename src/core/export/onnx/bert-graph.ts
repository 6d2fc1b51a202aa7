/**
 * BERT's sequence classifier as an ONNX graph with the interface `@huggingface/transformers`
 * expects (inputs input_ids, attention_mask, token_type_ids as int64 [batch, sequence]; output
 * `logits`), from standard opset-17 operators: Gather embeddings, LayerNormalization, MatMul with
 * pre-transposed weights, scaled dot-product attention with an additive mask, Erf-based GELU,
 * pooler Tanh and the classifier. The computation is transformers' BertForSequenceClassification
 * in eval mode.
 */
import type { FloatTensor } from '../../models/pretrained/checkpoint';
import type { HfConfig } from '../../models/pretrained/types';
import { InputError } from '../../util/errors';
import { FLOAT, INT64, type Graph, type Node, type Tensor } from './proto';

export const OPSET = 17;

/** Builds nodes and initializers, naming intermediate values uniquely. */
class Builder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private n = 0;

  constructor(private readonly weights: Record<string, FloatTensor>) {}

  op(op: string, inputs: string[], attributes?: Node['attributes']): string {
    const out = `${op.toLowerCase()}_${this.n++}`;
    this.nodes.push({ op, inputs, outputs: [out], attributes });
    return out;
  }

  floats(name: string, dims: number[], data: Float32Array): string {
    this.initializers.push({ name, dims, type: FLOAT, raw: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
    return name;
  }

  ints(name: string, values: number[], dims = [values.length]): string {
    this.initializers.push({ name, dims, type: INT64, raw: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) });
    return name;
  }

  scalar(name: string, v: number): string {
    return this.floats(name, [], Float32Array.of(v));
  }

  weight(name: string): string {
    const t = this.weights[name];
    if (!t) throw new InputError(`ONNX export: the model has no weight '${name}'`);
    return this.floats(name, t.shape, t.data);
  }

  /** y = x W^T + b, W stored transposed ([in, out]) so the graph needs no Transpose per call. */
  linear(x: string, module: string): string {
    const w = this.weights[`${module}.weight`];
    if (!w) throw new InputError(`ONNX export: the model has no weight '${module}.weight'`);
    const [out, inp] = w.shape;
    const t = new Float32Array(out * inp);
    for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) t[i * out + o] = w.data[o * inp + i];
    const wT = this.floats(`${module}.weight.T`, [inp, out], t);
    return this.op('Add', [this.op('MatMul', [x, wT]), this.weight(`${module}.bias`)]);
  }

  layerNorm(x: string, module: string, eps: number): string {
    return this.op(
      'LayerNormalization',
      [x, this.weight(`${module}.weight`), this.weight(`${module}.bias`)],
      [
        { name: 'axis', i: -1 },
        { name: 'epsilon', f: eps },
      ],
    );
  }
}

export function bertGraph(config: HfConfig, weights: Record<string, FloatTensor>): Graph {
  if (config.model_type !== 'bert') throw new InputError(`ONNX export: model_type '${config.model_type}' is not written as ONNX yet (bert only)`);
  if ((config.hidden_act ?? 'gelu') !== 'gelu') throw new InputError(`ONNX export: hidden_act '${String(config.hidden_act)}' is not supported (gelu)`);
  const hidden = Number(config.hidden_size);
  const heads = Number(config.num_attention_heads);
  const layers = Number(config.num_hidden_layers);
  const eps = Number(config.layer_norm_eps ?? 1e-12);
  const head = hidden / heads;
  const b = new Builder(weights);
  const p = 'bert';

  // Embeddings: words + positions 0..L-1 + token types, then LayerNorm.
  const length = b.op('Gather', [b.op('Shape', ['input_ids']), b.ints('one', [1], [])], [{ name: 'axis', i: 0 }]);
  const positions = b.op('Range', [b.ints('zero', [0], []), length, 'one']);
  const words = b.op('Gather', [b.weight(`${p}.embeddings.word_embeddings.weight`), 'input_ids']);
  const pos = b.op('Gather', [b.weight(`${p}.embeddings.position_embeddings.weight`), positions]);
  const types = b.op('Gather', [b.weight(`${p}.embeddings.token_type_embeddings.weight`), 'token_type_ids']);
  let x = b.layerNorm(b.op('Add', [b.op('Add', [words, pos]), types]), `${p}.embeddings.LayerNorm`, eps);

  // Additive mask [batch, 1, 1, L]: 0 where attended, the float minimum where padded (as transformers).
  const keep = b.op('Cast', ['attention_mask'], [{ name: 'to', i: FLOAT }]);
  const blocked = b.op('Mul', [b.op('Sub', [b.scalar('one_f', 1), keep]), b.scalar('min_f', -3.4028234663852886e38)]);
  const mask = b.op('Unsqueeze', [blocked, b.ints('mask_axes', [1, 2])]);
  const split = b.ints('split_heads', [0, 0, heads, head]);
  const merge = b.ints('merge_heads', [0, 0, hidden]);
  const scale = b.scalar('scale', 1 / Math.sqrt(head));

  for (let l = 0; l < layers; l++) {
    const m = `${p}.encoder.layer.${l}`;
    const heads4 = (module: string, perm: number[]) => b.op('Transpose', [b.op('Reshape', [b.linear(x, module), split])], [{ name: 'perm', ints: perm }]);
    const q = heads4(`${m}.attention.self.query`, [0, 2, 1, 3]);
    const kT = heads4(`${m}.attention.self.key`, [0, 2, 3, 1]);
    const v = heads4(`${m}.attention.self.value`, [0, 2, 1, 3]);
    const scores = b.op('Add', [b.op('Mul', [b.op('MatMul', [q, kT]), scale]), mask]);
    const probs = b.op('Softmax', [scores], [{ name: 'axis', i: -1 }]);
    const context = b.op('Reshape', [b.op('Transpose', [b.op('MatMul', [probs, v])], [{ name: 'perm', ints: [0, 2, 1, 3] }]), merge]);
    x = b.layerNorm(b.op('Add', [b.linear(context, `${m}.attention.output.dense`), x]), `${m}.attention.output.LayerNorm`, eps);
    const h = b.linear(x, `${m}.intermediate.dense`);
    // Exact GELU: 0.5 x (1 + erf(x / sqrt 2)).
    const erf = b.op('Erf', [b.op('Mul', [h, b.scalar(`${m}.inv_sqrt2`, Math.SQRT1_2)])]);
    const gelu = b.op('Mul', [b.op('Mul', [h, b.scalar(`${m}.half`, 0.5)]), b.op('Add', [erf, b.scalar(`${m}.one`, 1)])]);
    x = b.layerNorm(b.op('Add', [b.linear(gelu, `${m}.output.dense`), x]), `${m}.output.LayerNorm`, eps);
  }

  const first = b.op('Gather', [x, 'zero'], [{ name: 'axis', i: 1 }]);
  const pooled = b.op('Tanh', [b.linear(first, `${p}.pooler.dense`)]);
  const logits = b.linear(pooled, 'classifier');
  b.nodes.push({ op: 'Identity', inputs: [logits], outputs: ['logits'] });

  const ids = (name: string) => ({ name, type: INT64, shape: ['batch_size', 'sequence_length'] });
  return {
    name: 'bert_for_sequence_classification',
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [ids('input_ids'), ids('attention_mask'), ids('token_type_ids')],
    outputs: [{ name: 'logits', type: FLOAT, shape: ['batch_size', Object.keys(config.id2label ?? {}).length || Number(config.num_labels ?? 2)] }],
  };
}
