/**
 * Gradual unfreezing's periods by weight name, on the full weight lists of the tiny DistilBERT and
 * DeBERTa-v3 configs (their own layer names) and on LoRA's tensor names.
 */
// Tests run under Node; reading the shared model configs is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { debertaV2 } from './deberta-v2';
import { distilbert } from './distilbert';
import { MODELS_DIR } from './fixtures';
import type { EncoderArchitecture, HfConfig } from './types';
import { checkUnfreeze, unfreezePeriod, unfrozen } from './unfreeze';

const configOf = (name: string) => JSON.parse(fs.readFileSync(`${MODELS_DIR}/${name}/config.json`, 'utf8')) as HfConfig;
const present = fs.existsSync(`${MODELS_DIR}/tiny-distilbert/config.json`) && fs.existsSync(`${MODELS_DIR}/tiny-deberta-v3/config.json`);

/** Scalar stand-ins named as the architecture's weights (unfreezing reads names only). */
function named(names: string[]): Map<string, tf.Variable> {
  return new Map(names.map((n) => [n, tf.variable(tf.scalar(0), true)]));
}

function periods(arch: EncoderArchitecture, config: HfConfig, layers: number) {
  const vars = named(Object.keys(arch.weightShapes!(config, 4)));
  const at = (p: number) => [...unfrozen(vars, layers, p).keys()];
  return { vars, at };
}

describe.skipIf(!present)('gradual unfreezing by name', () => {
  it('DistilBERT: head (pre_classifier, classifier), then transformer layers from the top, then the embeddings', () => {
    const config = configOf('tiny-distilbert');
    const layers = Number(config.n_layers);
    const { vars, at } = periods(distilbert, config, layers);
    expect(at(0).sort()).toEqual(['classifier.bias', 'classifier.weight', 'pre_classifier.bias', 'pre_classifier.weight']);
    expect(
      at(1)
        .filter((n) => n.includes('.layer.'))
        .every((n) => n.includes(`.layer.${layers - 1}.`)),
    ).toBe(true);
    expect(at(layers).some((n) => n.includes('embeddings'))).toBe(false);
    expect(at(layers + 1)).toHaveLength(vars.size);
    expect(at(layers + 5)).toHaveLength(vars.size);
    tf.dispose([...vars.values()]);
  });

  it("DeBERTa-v3: the relative embeddings and the encoder's LayerNorm come with the embeddings", () => {
    const config = configOf('tiny-deberta-v3');
    const layers = Number(config.num_hidden_layers);
    const { vars, at } = periods(debertaV2, config, layers);
    const last = at(layers);
    expect(last.filter((n) => /rel_embeddings|encoder\.LayerNorm|\.embeddings\./.test(n))).toEqual([]);
    expect(at(layers + 1)).toHaveLength(vars.size);
    tf.dispose([...vars.values()]);
  });

  it('LoRA tensors follow their layer; frozen layers are skipped; one depth is refused', () => {
    const vars = named([
      'bert.encoder.layer.0.attention.self.query.lora_A.weight',
      'bert.encoder.layer.1.attention.self.query.lora_A.weight',
      'bert.encoder.layer.2.attention.self.query.lora_A.weight',
      'classifier.weight',
    ]);
    expect([...unfrozen(vars, 3, 1).keys()]).toEqual(['bert.encoder.layer.2.attention.self.query.lora_A.weight', 'classifier.weight']);
    const withoutMiddle = new Map([...vars].filter(([n]) => !n.includes('.layer.1.')));
    expect([...unfrozen(withoutMiddle, 3, 2).keys()]).toHaveLength(3);
    expect(() => checkUnfreeze(new Map([...vars].filter(([n]) => n.startsWith('classifier'))), 3, 'lora')).toThrow(/one depth/);
    tf.dispose([...vars.values()]);
  });

  it('periods count epochs or optimizer steps', () => {
    expect([1, 2, 3, 4, 5].map((e) => unfreezePeriod({ every: 2, unit: 'epoch', from: 'top' }, e, 0))).toEqual([0, 0, 1, 1, 2]);
    expect([0, 1, 2, 3, 4].map((u) => unfreezePeriod({ every: 2, unit: 'step', from: 'top' }, 1, u))).toEqual([0, 0, 1, 1, 2]);
  });
});
