/**
 * What every encoder's ONNX graph is made of: a builder that names values and stores weights as
 * initializers (linear layers pre-transposed, LayerNorm from opset 17), the additive attention
 * mask, transformers' activations by their config names, and one post-LayerNorm encoder block
 * (self-attention, residual, LayerNorm, feed-forward, residual, LayerNorm), which BERT, RoBERTa,
 * ELECTRA and DistilBERT share under different module names.
 */
import type { FloatTensor } from '../../models/pretrained/checkpoint';
import type { HfConfig } from '../../models/pretrained/types';
import { InputError } from '../../util/errors';
import { FLOAT, INT64, type Graph, type Node, type Tensor } from './proto';

export const OPSET = 17;

/** Builds nodes and initializers, naming intermediate values uniquely. */
export class Builder {
  readonly nodes: Node[] = [];
  readonly initializers: Tensor[] = [];
  private n = 0;
  private readonly named = new Set<string>();

  constructor(private readonly weights: Record<string, FloatTensor>) {}

  op(op: string, inputs: string[], attributes?: Node['attributes']): string {
    const out = `${op.toLowerCase()}_${this.n++}`;
    this.nodes.push({ op, inputs, outputs: [out], attributes });
    return out;
  }

  /** Constants shared by name (shapes, indices) are stored once: a repeated name returns the first. */
  floats(name: string, dims: number[], data: Float32Array): string {
    if (this.named.has(name)) return name;
    this.named.add(name);
    this.initializers.push({ name, dims, type: FLOAT, raw: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) });
    return name;
  }

  ints(name: string, values: number[], dims = [values.length]): string {
    if (this.named.has(name)) return name;
    this.named.add(name);
    this.initializers.push({ name, dims, type: INT64, raw: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer) });
    return name;
  }

  scalar(name: string, v: number): string {
    return this.floats(name, [], Float32Array.of(v));
  }

  private tensor(name: string): FloatTensor {
    const t = this.weights[name];
    if (!t) throw new InputError(`ONNX export: the model has no weight '${name}'`);
    return t;
  }

  weight(name: string): string {
    const t = this.tensor(name);
    return this.floats(name, t.shape, t.data);
  }

  /** y = x W^T + b, W stored transposed ([in, out]) so the graph needs no Transpose per call. */
  linear(x: string, module: string): string {
    const w = this.tensor(`${module}.weight`);
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

  /** transformers' activation by config name ("gelu" is the exact erf form). */
  activation(x: string, name: string): string {
    const k = (v: number) => this.scalar(`act_const_${v}`, v);
    switch (name) {
      case 'gelu':
        return this.op('Mul', [this.op('Mul', [x, k(0.5)]), this.op('Add', [this.op('Erf', [this.op('Mul', [x, k(Math.SQRT1_2)])]), k(1)])]);
      case 'gelu_new':
      case 'gelu_pytorch_tanh': {
        const cube = this.op('Mul', [this.op('Mul', [x, x]), x]);
        const inner = this.op('Mul', [this.op('Add', [x, this.op('Mul', [cube, k(0.044715)])]), k(Math.sqrt(2 / Math.PI))]);
        return this.op('Mul', [this.op('Mul', [x, k(0.5)]), this.op('Add', [this.op('Tanh', [inner]), k(1)])]);
      }
      case 'relu':
        return this.op('Relu', [x]);
      case 'tanh':
        return this.op('Tanh', [x]);
      case 'silu':
      case 'swish':
        return this.op('Mul', [x, this.op('Sigmoid', [x])]);
      default:
        throw new InputError(`ONNX export: activation '${name}' is not supported (gelu, gelu_new, gelu_pytorch_tanh, relu, tanh, silu)`);
    }
  }

  /** The first token's vector of each sequence: [B, L, H] -> [B, H]. */
  firstToken(x: string): string {
    return this.op('Gather', [x, this.ints('first_index', [0], [])], [{ name: 'axis', i: 1 }]);
  }

  /** Ends the graph: `logits` [batch, labels] from the given value, int64 [batch, sequence] inputs by name. */
  finish(name: string, logits: string, inputs: string[], labels: number): Graph {
    this.nodes.push({ op: 'Identity', inputs: [logits], outputs: ['logits'] });
    return {
      name,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: inputs.map((n) => ({ name: n, type: INT64, shape: ['batch_size', 'sequence_length'] })),
      outputs: [{ name: 'logits', type: FLOAT, shape: ['batch_size', labels] }],
    };
  }
}

/** [batch, 1, 1, L] additive mask from the `attention_mask` input: 0 where attended, -1e9 where padded (as the product's maskBias). */
export function additiveMask(b: Builder): string {
  const keep = b.op('Cast', ['attention_mask'], [{ name: 'to', i: FLOAT }]);
  const blocked = b.op('Mul', [b.op('Sub', [b.scalar('mask_one', 1), keep]), b.scalar('mask_min', -1e9)]);
  return b.op('Unsqueeze', [blocked, b.ints('mask_axes', [1, 2])]);
}

/** State-dict names of one encoder block's modules. */
export interface BlockModules {
  query: string;
  key: string;
  value: string;
  output: string;
  attentionNorm: string;
  up: string;
  down: string;
  outputNorm: string;
}

export interface BlockShape {
  hidden: number;
  heads: number;
  eps: number;
  act: string;
}

/** One post-LayerNorm encoder block over x [B, L, hidden] with the additive `mask`. */
export function encoderBlock(b: Builder, x: string, m: BlockModules, s: BlockShape, mask: string): string {
  const head = s.hidden / s.heads;
  const split = b.ints('split_heads', [0, 0, s.heads, head]);
  const merge = b.ints('merge_heads', [0, 0, s.hidden]);
  const heads4 = (module: string, perm: number[]) => b.op('Transpose', [b.op('Reshape', [b.linear(x, module), split])], [{ name: 'perm', ints: perm }]);
  const q = heads4(m.query, [0, 2, 1, 3]);
  const kT = heads4(m.key, [0, 2, 3, 1]);
  const v = heads4(m.value, [0, 2, 1, 3]);
  const scores = b.op('Add', [b.op('Mul', [b.op('MatMul', [q, kT]), b.scalar('attention_scale', 1 / Math.sqrt(head))]), mask]);
  const probs = b.op('Softmax', [scores], [{ name: 'axis', i: -1 }]);
  const context = b.op('Reshape', [b.op('Transpose', [b.op('MatMul', [probs, v])], [{ name: 'perm', ints: [0, 2, 1, 3] }]), merge]);
  const h = b.layerNorm(b.op('Add', [b.linear(context, m.output), x]), m.attentionNorm, s.eps);
  const up = b.activation(b.linear(h, m.up), s.act);
  return b.layerNorm(b.op('Add', [b.linear(up, m.down), h]), m.outputNorm, s.eps);
}

/** The number of labels the exported config declares. */
export function labelCount(config: HfConfig): number {
  return Object.keys(config.id2label ?? {}).length || Number(config.num_labels ?? 2);
}
