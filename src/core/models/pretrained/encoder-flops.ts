/**
 * Floating-point operations of one step of a BERT-style encoder, counted from its config.json,
 * so that a measured examples/s can be set against a device's peak. Only matrix products are
 * counted (they are all but a few percent of the work): the encoder's linear layers, the two
 * attention products, the pooler and the classification head. Embedding look-ups, LayerNorm,
 * GELU, softmax and the optimizer's element-wise update are left out, so the fraction of peak
 * reported is a slight underestimate of the work done.
 */
export interface EncoderShape {
  layers: number;
  hidden: number;
  intermediate: number;
  labels: number;
}

/** The sizes of a BERT (hidden_size, ...) or DistilBERT (dim, ...) config.json. */
export function encoderShape(config: Record<string, unknown>): EncoderShape {
  const num = (...keys: string[]) => {
    for (const k of keys) if (typeof config[k] === 'number') return config[k] as number;
    throw new Error(`config.json has none of ${keys.join(', ')}`);
  };
  const id2label = config.id2label as Record<string, string> | undefined;
  return {
    layers: num('num_hidden_layers', 'n_layers'),
    hidden: num('hidden_size', 'dim'),
    intermediate: num('intermediate_size', 'hidden_dim'),
    labels: id2label ? Object.keys(id2label).length : 2,
  };
}

/** Weights that take part in a matrix product for every token (Q, K, V, output, two FFN layers). */
export function matmulParamsPerToken(s: EncoderShape): number {
  return s.layers * (4 * s.hidden * s.hidden + 2 * s.hidden * s.intermediate);
}

/**
 * FLOPs of one forward pass over batch x length tokens: 2 per multiply-add of every linear layer
 * for every token, QK^T and attention x V (2 * length^2 * hidden each per sequence and layer),
 * and the pooler and head on the first token. A training step is three forward passes' worth
 * (the backward pass computes the gradients of both the inputs and the weights).
 */
export function encoderFlops(s: EncoderShape, batch: number, length: number, mode: 'train' | 'infer'): number {
  const tokens = batch * length;
  const linear = 2 * matmulParamsPerToken(s) * tokens;
  const attention = s.layers * batch * 2 * (2 * length * length * s.hidden);
  const head = 2 * batch * (s.hidden * s.hidden + s.hidden * s.labels);
  const forward = linear + attention + head;
  return mode === 'train' ? 3 * forward : forward;
}
