// Tests run under Node; reading the shared model files and AG News rows is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { parseAgNewsCsv } from '../../../text/agnews-csv';
import { CancelledError } from '../../../util/errors';
import { readCheckpoint } from '../checkpoint';
import { tinyModels } from '../fixtures';
import { EncoderModel } from '../model';
import { EncoderTokenizer } from '../tokenize';
import { DEFAULT_MASKING } from './collator';
import { maskingVocab } from './mask-vocab';
import { MlmModel } from './mlm-model';
import { pretrain, type PretrainProgress, type PretrainSettings } from './pretrain-loop';
import { maskedLmFolder } from './save';

const tiny = tinyModels(fs);
const DATA = '../shared/data/ag_news/train.csv';
const SETTINGS: PretrainSettings = {
  epochs: 1,
  batchSize: 4,
  lr: 1e-3,
  weightDecay: 0.01,
  warmupRatio: 0,
  schedule: 'linear',
  clipNorm: 1,
  masking: DEFAULT_MASKING,
  seed: 4,
  logEvery: 1,
  checkpointEvery: 0,
};

// The CPU backend spends most of a step on tiny-bert's 30,522-token decoder: few, small batches.
async function setUp(n = 8) {
  const read = tiny.reader('tiny-bert');
  const tok = await EncoderTokenizer.fromFolder(read);
  const texts = parseAgNewsCsv(fs.readFileSync(DATA, 'utf8'), n).map((r) => r.text);
  return { read, tok, vocab: await maskingVocab(read), ids: texts.map((t) => tok.encode(t, 32)), ckpt: await tiny.load('tiny-bert') };
}

describe.skipIf(!tiny.present || !fs.existsSync(DATA))('MLM pretraining loop', { timeout: 300_000 }, () => {
  it('reports every step with totals and time left, keeps the tensor count flat, and is seeded', async () => {
    const { tok, vocab, ids, ckpt } = await setUp();
    const run = async () => {
      const model = MlmModel.fromCheckpoint(ckpt, { seed: 1 });
      const events: PretrainProgress[] = [];
      const summary = await pretrain(model, ids, tok.padId, vocab, { ...SETTINGS, epochs: 2 }, { onProgress: (p) => events.push(p) });
      const emb = Array.from(model.encoder.weights.get('bert.embeddings.word_embeddings.weight')!.dataSync().slice(0, 64));
      model.dispose();
      return { events, summary, emb };
    };
    const before = tf.memory().numTensors;
    const a = await run();
    expect(tf.memory().numTensors).toBe(before);
    expect(a.summary).toMatchObject({ steps: 4, epochs: 2 });
    expect(a.events.map((e) => e.step)).toEqual([1, 2, 3, 4]);
    expect(a.events.every((e) => e.totalSteps === 4 && e.secondsLeft >= 0 && Number.isFinite(e.loss) && e.accuracy >= 0 && e.accuracy <= 1)).toBe(true);
    expect(a.events.at(-1)!.secondsLeft).toBe(0);
    expect(new Set(a.events.slice(1).map((e) => e.tensors)).size).toBe(1);
    const b = await run();
    expect(b.summary.losses).toEqual(a.summary.losses);
    expect(b.emb).toEqual(a.emb);
  });

  it('stops at `steps`, calls the checkpoint hook, and a cancelled run leaves no tensors behind', async () => {
    const { tok, vocab, ids, ckpt } = await setUp();
    const model = MlmModel.fromCheckpoint(ckpt, { seed: 1 });
    const checkpoints: number[] = [];
    const s = await pretrain(model, ids, tok.padId, vocab, { ...SETTINGS, steps: 6, checkpointEvery: 2 }, { onCheckpoint: async (step) => void checkpoints.push(step) });
    expect(s).toMatchObject({ steps: 6, epochs: 3 });
    expect(checkpoints).toEqual([2, 4]);

    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = pretrain(model, ids, tok.padId, vocab, { ...SETTINGS, epochs: 3 }, { signal: controller.signal, onProgress: (p) => p.step === 1 && controller.abort() });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses bad settings with a specific message before any step', async () => {
    const { tok, vocab, ids, ckpt } = await setUp(8);
    const model = MlmModel.fromCheckpoint(ckpt, { seed: 1 });
    await expect(pretrain(model, ids, tok.padId, vocab, { ...SETTINGS, steps: 0, lr: -1 })).rejects.toThrow(
      /steps must be a positive integer \(got 0\); learning rate must be positive \(got -1\)/,
    );
    await expect(pretrain(model, ids, tok.padId, vocab, { ...SETTINGS, masking: { ...DEFAULT_MASKING, maskProb: 1.5 } })).rejects.toThrow(/mask probability must be in \(0, 1\)/);
    model.dispose();
  });

  it('saves a *ForMaskedLM folder that reads back with its head, and loads as a classifier base', async () => {
    const { read, tok, vocab, ids, ckpt } = await setUp();
    const model = MlmModel.fromCheckpoint(ckpt, { seed: 1 });
    await pretrain(model, ids, tok.padId, vocab, { ...SETTINGS, steps: 1 });
    const files = await maskedLmFolder(model, { config: ckpt.config, read });
    expect(files.map((f) => f.name).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    const byName = new Map(files.map((f) => [f.name, f.bytes]));
    const saved = await readCheckpoint(async (name) => byName.get(name));
    expect(saved.config.architectures).toEqual(['BertForMaskedLM']);
    expect(saved.config.id2label).toBeUndefined();
    // No fresh pooler (the base had one, so it is kept), no classifier, no tied decoder copy.
    expect(Object.keys(saved.weights)).toContain('bert.pooler.dense.weight');
    expect(Object.keys(saved.weights).filter((n) => n.startsWith('classifier') || n.includes('decoder'))).toEqual([]);

    const reread = MlmModel.fromCheckpoint(saved);
    expect(reread.freshHead).toBe(false);
    const batch = { inputIds: [ids[0]], attentionMask: [ids[0].map(() => 1)], labels: [ids[0].map((id, i) => (i === 3 ? id : -100))] };
    const loss = (m: MlmModel) => tf.tidy(() => m.loss(batch).dataSync()[0]);
    expect(loss(reread)).toBeCloseTo(loss(model), 5);

    const classifier = EncoderModel.fromCheckpoint(saved, { numLabels: 4, seed: 2 });
    expect(classifier.initialised.sort()).toEqual(['classifier.bias', 'classifier.weight']);
    expect(classifier.logits([ids[0]], [ids[0].map(() => 1)])[0]).toHaveLength(4);
    [model, reread, classifier].forEach((m) => m.dispose());
  });
});
