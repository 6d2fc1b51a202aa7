/**
 * DeBERTa-v3's own pieces: log buckets, config validation, the weight list, and gradients through
 * the relative-position gathers. Forward parity with PyTorch for the tiny checkpoint is in
 * forward.test.ts, training parity in deberta-v2-train.test.ts.
 */
// Tests run under Node; reading the shared model files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { debertaV2 } from './deberta-v2';
import { logBucket, relativePositions } from './deberta-v2-attention';
import { MODELS_DIR, maxAbsDiff, tinyModels } from './fixtures';
import { EncoderModel } from './model';
import type { HfConfig } from './types';

const NAME = 'tiny-deberta-v3';
const tiny = tinyModels(fs);
const present = fs.existsSync(`${MODELS_DIR}/${NAME}/model.safetensors`);

describe('log buckets (transformers make_log_bucket_position)', () => {
  it('keeps distances within half the buckets and compresses longer ones logarithmically', () => {
    // position_buckets 16, max position 64 (the tiny config): mid 8.
    expect([0, 1, -1, 7, 8, -8].map((r) => logBucket(r, 16, 64))).toEqual([0, 1, -1, 7, 8, -8]);
    // ceil(log(r/8) / log(63/8) * 7) + 8, worked by hand: 9 -> 9, 16 -> 11, 63 -> 15, 200 -> 19.
    expect([9, 16, 63, 200, -16].map((r) => logBucket(r, 16, 64))).toEqual([9, 11, 15, 19, -11]);
    // DeBERTa-v3-base: 256 buckets, 512 positions: distance 511 lands in the last bucket.
    expect(logBucket(511, 256, 512)).toBe(255);
    expect(logBucket(-511, 256, 512)).toBe(-255);
  });

  it('builds query - key without buckets when position_buckets is off', () => {
    expect(Array.from(relativePositions(3, -1, 64))).toEqual([0, -1, -2, 1, 0, -1, 2, 1, 0]);
  });
});

describe('validate', () => {
  const base: HfConfig = { model_type: 'deberta-v2', hidden_size: 32, num_attention_heads: 4, num_hidden_layers: 2, pos_att_type: ['p2c', 'c2p'] };
  it('accepts the DeBERTa-v3 options and names the ones it does not implement', () => {
    expect(() => debertaV2.validate({ ...base, norm_rel_ebd: 'layer_norm', share_att_key: true, pos_att_type: 'p2c|c2p' })).not.toThrow();
    expect(() => debertaV2.validate({ ...base, conv_kernel_size: 3, conv_act: 'gelu' })).not.toThrow();
    expect(() => debertaV2.validate({ ...base, conv_kernel_size: 4 })).toThrow(/conv_kernel_size 4 \(only odd kernels/);
    expect(() => debertaV2.validate({ ...base, conv_kernel_size: 3, conv_groups: 3 })).toThrow(/conv_groups 3 does not divide hidden_size 32/);
    expect(() => debertaV2.validate({ ...base, conv_kernel_size: 3, conv_act: 'softsign' })).toThrow(/conv_act "softsign"/);
    expect(() => debertaV2.validate({ ...base, embedding_size: 16 })).toThrow(/embed_proj/);
    expect(() => debertaV2.validate({ ...base, pos_att_type: ['p2p'] })).toThrow(/pos_att_type \["p2p"\]/);
    expect(() => debertaV2.validate({ ...base, hidden_act: 'gelu_10' })).toThrow(/hidden_act "gelu_10"/);
    expect(() => debertaV2.validate({ ...base, model_type: 'deberta' })).toThrow(/model_type "deberta"/);
  });
});

describe.skipIf(!present)(`${NAME} checkpoint (CPU backend; skipped: ${MODELS_DIR}/${NAME} absent)`, () => {
  it("lists exactly the checkpoint's weights and shapes", async () => {
    const { config, weights } = await tiny.load(NAME);
    const shapes = debertaV2.weightShapes!(config, 4);
    expect(Object.keys(shapes).sort()).toEqual(Object.keys(weights).sort());
    for (const [name, w] of Object.entries(weights)) expect(shapes[name], name).toEqual(w.shape);
  });

  it('sends gradients to every weight, the relative embeddings included, and keeps the tensor count flat', async () => {
    const model = EncoderModel.fromCheckpoint(await tiny.load(NAME));
    const exp = tiny.expected(NAME);
    const inputIds = tf.tensor2d(exp.input_ids, undefined, 'int32');
    const attentionMask = tf.tensor2d(exp.attention_mask, undefined, 'int32');
    const labels = tf.oneHot(tf.tensor1d([2, 1, 3], 'int32'), 4);
    const vars = [...model.weights.values()];
    const relName = model.weights.get('deberta.encoder.rel_embeddings.weight')!.name;
    const step = () => {
      const { value, grads } = tf.variableGrads(() => {
        const out = model.forward({ inputIds, attentionMask });
        return tf.losses.softmaxCrossEntropy(labels, out.logits) as tf.Scalar;
      }, vars);
      const relNorm = tf.tidy(() => tf.norm(grads[relName]).dataSync()[0]);
      const allFinite = Object.values(grads).every((g) => tf.tidy(() => tf.all(tf.isFinite(g)).dataSync()[0] === 1));
      tf.dispose([value, ...Object.values(grads)]);
      return { relNorm, allFinite, gradCount: Object.keys(grads).length };
    };
    const first = step();
    const before = tf.memory().numTensors;
    const second = step();
    expect(tf.memory().numTensors).toBe(before);
    for (const r of [first, second]) {
      expect(r.allFinite).toBe(true);
      expect(r.relNorm).toBeGreaterThan(1e-6);
      expect(r.gradCount).toBe(vars.length);
    }
    tf.dispose([inputIds, attentionMask, labels]);
    model.dispose();
  });
});

/**
 * Config options the tiny checkpoint does not use, against transformers 5.18 + PyTorch: each
 * variant's weights are a fixed formula of the name and index (formulaWeight), so only the
 * outputs are stored. Hidden states at positions 0, 5 and 13 (13 is padding in the second text).
 * Made with (Python, torch 2.13, transformers 5.18):
 *   model = DebertaV2ForSequenceClassification(DebertaV2Config(**VARIANT_BASE, **options, num_labels=3)).eval()
 *   for n, t in model.state_dict().items():  # float tensors
 *       s = sum(map(ord, n)) % 97
 *       v = [math.sin(1.7 * i + 0.3 * s) for i in range(t.numel())]
 *       t.copy_(torch.tensor([1 + 0.1 * x if n.endswith('LayerNorm.weight') else 0.3 * x for x in v]).reshape(t.shape))
 *   o = model(input_ids=VARIANT_IDS, attention_mask=VARIANT_MASK, output_hidden_states=True)
 *   logits = o.logits; hidden = o.hidden_states[-1][:, [0, 5, 13], :]
 */
const VARIANT_BASE: HfConfig = {
  model_type: 'deberta-v2',
  vocab_size: 30,
  hidden_size: 8,
  num_attention_heads: 2,
  num_hidden_layers: 2,
  intermediate_size: 12,
  max_position_embeddings: 16,
  layer_norm_eps: 1e-7,
  hidden_dropout_prob: 0,
  attention_probs_dropout_prob: 0,
  pooler_dropout: 0,
  pooler_hidden_size: 8,
};
const VARIANT_IDS = [
  [1, 5, 9, 13, 17, 21, 25, 29, 3, 2, 7, 11, 4, 2],
  [1, 6, 10, 14, 18, 2, 0, 0, 0, 0, 0, 0, 0, 0],
];
const VARIANT_MASK = [
  [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
];
const VARIANTS: { name: string; options: Record<string, unknown>; logits: number[][]; hidden: number[][][] }[] = [
  {
    name: 'separate position projections, clamped distances, absolute positions, token types',
    options: {
      share_att_key: false,
      pos_att_type: ['c2p', 'p2c'],
      position_buckets: -1,
      max_relative_positions: 6,
      position_biased_input: true,
      type_vocab_size: 2,
      relative_attention: true,
      norm_rel_ebd: 'none',
      hidden_act: 'gelu_new',
      pooler_hidden_act: 'tanh',
    },
    logits: [
      [0.3492577, 0.2318102, -0.1850387],
      [0.3535534, 0.2364503, -0.1845856],
    ],
    hidden: [
      [
        [1.219048, 1.598613, -1.127637, -1.763867, 0.8878589, 0.7257495, -1.117386, -0.4841788],
        [2.178511, -0.7487617, -1.635147, -0.8516112, 1.073925, 0.5421022, -0.08427918, -0.1690573],
        [1.557219, 1.494639, -1.274681, -1.652748, 0.9587477, 0.2784507, -1.208597, -0.07354729],
      ],
      [
        [1.139009, 1.504118, -1.15221, -1.657373, 1.100595, 0.8088505, -1.17943, -0.6254362],
        [1.969619, -0.1579464, -1.722133, -1.08874, 1.469888, 0.6421924, -0.4722778, -0.4053178],
        [1.0474, 1.465631, -0.9571407, -1.995478, 0.3736714, 1.185173, -0.564854, -0.7606566],
      ],
    ],
  },
  {
    name: 'c2p only, log buckets 8 over 20 positions',
    options: {
      share_att_key: true,
      pos_att_type: ['c2p'],
      position_buckets: 8,
      max_relative_positions: 20,
      position_biased_input: false,
      type_vocab_size: 0,
      relative_attention: true,
      norm_rel_ebd: 'layer_norm',
      hidden_act: 'gelu',
      pooler_hidden_act: 'gelu',
    },
    logits: [
      [0.12937, -0.1738665, -0.3803238],
      [0.1290833, -0.1764613, -0.3826926],
    ],
    hidden: [
      [
        [1.247741, 1.683611, -1.076957, -1.814391, 0.740886, 0.6406214, -1.101862, -0.38162],
        [2.33489, 0.4127534, -1.637468, -1.457032, 0.7757037, 0.1717106, -0.511086, 0.1719157],
        [1.768131, 1.184904, -1.471064, -1.70431, 0.942315, 0.3981267, -0.9412873, -0.06862296],
      ],
      [
        [1.249647, 1.463681, -1.192523, -1.766471, 0.9526695, 0.8348312, -1.041308, -0.5635375],
        [1.673001, 1.190117, -1.433027, -1.558871, 1.215498, 0.3561445, -1.147502, -0.174376],
        [1.085058, 1.274469, -1.064077, -1.937422, 0.5601384, 1.280329, -0.5336049, -0.8534093],
      ],
    ],
  },
  {
    name: 'ConvLayer (kernel 3, gelu) as in DeBERTa-v2 xlarge',
    options: {
      share_att_key: true,
      pos_att_type: ['p2c', 'c2p'],
      position_buckets: 8,
      max_relative_positions: 16,
      position_biased_input: false,
      type_vocab_size: 0,
      relative_attention: true,
      norm_rel_ebd: 'layer_norm',
      conv_kernel_size: 3,
      conv_act: 'gelu',
      hidden_act: 'gelu',
      pooler_hidden_act: 'gelu',
    },
    logits: [
      [0.07331191, -0.1367743, -0.2863051],
      [0.07554923, -0.1319716, -0.2836275],
    ],
    hidden: [
      [
        [1.102597, 1.706835, -1.397904, -1.375889, 0.8530408, 0.6659133, -1.336661, -0.2125074],
        [1.714356, 1.046917, -1.72449, -0.9032844, -0.1074706, 0.07861894, -1.094702, 1.292541],
        [1.358392, 1.370427, -1.757496, -1.075106, 0.8233665, 0.4128012, -1.415614, 0.4684428],
      ],
      [
        [0.9149908, 1.752052, -1.505772, -1.191088, 0.6436087, 0.8061446, -1.405403, -0.009071139],
        [1.942622, 0.9510419, -1.486503, -1.597067, 1.126778, 0.2675259, -0.956015, -0.08049535],
        [1.072988, 1.284002, -1.077391, -2.091357, 0.3110765, 1.240145, -0.3054818, -0.6273441],
      ],
    ],
  },
  {
    name: 'ConvLayer in 2 groups, kernel 5, default tanh',
    options: {
      share_att_key: true,
      pos_att_type: ['p2c', 'c2p'],
      position_buckets: 8,
      max_relative_positions: 16,
      position_biased_input: false,
      type_vocab_size: 0,
      relative_attention: true,
      norm_rel_ebd: 'layer_norm',
      conv_kernel_size: 5,
      conv_groups: 2,
      hidden_act: 'gelu',
      pooler_hidden_act: 'gelu',
    },
    logits: [
      [0.03855158, -0.09794144, -0.211803],
      [0.05575748, -0.1132865, -0.2447132],
    ],
    hidden: [
      [
        [1.627461, 1.243496, -1.209517, -1.717328, 1.168428, 0.4528466, -1.198828, -0.3036254],
        [2.164227, 1.162301, -1.642301, -1.117697, 0.3006625, -0.4257061, -0.5991556, 0.447531],
        [1.316656, 1.480642, -1.70037, -1.133475, 1.499739, -0.1204819, -0.7573744, -0.4312819],
      ],
      [
        [1.637827, 1.432364, -1.365136, -1.489233, 1.010371, 0.4444659, -1.011154, -0.6195371],
        [1.742764, 1.369684, -1.769606, -1.20437, 0.9835682, 0.09334629, -0.7672545, -0.2856937],
        [1.06824, 1.261697, -1.088993, -2.078651, 0.3434678, 1.259062, -0.3078473, -0.6498184],
      ],
    ],
  },
  {
    name: 'no relative attention',
    options: { pos_att_type: null, position_biased_input: true, type_vocab_size: 0, relative_attention: false, hidden_act: 'relu', pooler_hidden_act: 'gelu' },
    logits: [
      [0.2545262, -0.2198178, -0.5525069],
      [0.2612959, -0.2243649, -0.56393],
    ],
    hidden: [
      [
        [0.9140048, 1.870579, -0.7538285, -1.914734, 0.3636231, 0.8465161, -0.9041958, -0.6192793],
        [1.525749, -1.469426, -0.971173, -0.510893, -0.3303998, 0.7462608, 0.9313388, 0.2860875],
        [1.351227, 1.624256, -1.128921, -1.87367, 0.6587948, 0.6349957, -0.9918597, -0.3262427],
      ],
      [
        [0.8457492, 1.846578, -0.7555186, -1.853012, 0.4949565, 0.906636, -0.9663152, -0.7233355],
        [2.129341, -0.5615528, -1.626987, -1.17677, 0.7869073, 0.7470247, 0.1123675, -0.186676],
        [1.068916, 1.386589, -0.9989087, -1.956935, 0.4724074, 1.225775, -0.5604587, -0.8373045],
      ],
    ],
  },
];

/** The weight formula of the reference script: LayerNorm weights near 1, the rest in ±0.3. */
function formulaWeight(name: string, shape: number[]): { shape: number[]; data: Float32Array } {
  const s = [...name].reduce((a, c) => a + c.charCodeAt(0), 0) % 97;
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) {
    const v = Math.sin(1.7 * i + 0.3 * s);
    data[i] = name.endsWith('LayerNorm.weight') ? 1 + 0.1 * v : 0.3 * v;
  }
  return { shape, data };
}

describe('config variants against PyTorch (generated weights)', () => {
  for (const variant of VARIANTS) {
    it(`${variant.name}: logits and hidden states to 1e-4`, () => {
      const config: HfConfig = { ...VARIANT_BASE, ...variant.options };
      debertaV2.validate(config);
      const weights = Object.fromEntries(Object.entries(debertaV2.weightShapes!(config, 3)).map(([n, s]) => [n, formulaWeight(n, s)]));
      const model = new EncoderModel(debertaV2, config, weights);
      const out = tf.tidy(() => {
        const o = model.forward({ inputIds: tf.tensor2d(VARIANT_IDS, undefined, 'int32'), attentionMask: tf.tensor2d(VARIANT_MASK, undefined, 'int32') });
        return { logits: o.logits.arraySync(), hidden: tf.gather(o.lastHidden, [0, 5, 13], 1).arraySync() };
      });
      expect(maxAbsDiff(out.logits, variant.logits)).toBeLessThan(1e-4);
      expect(maxAbsDiff(out.hidden, variant.hidden)).toBeLessThan(1e-4);
      model.dispose();
    });
  }
});
