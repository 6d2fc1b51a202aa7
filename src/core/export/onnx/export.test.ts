/* eslint-disable no-restricted-imports -- the test reads the shared tiny checkpoints and AG News rows, and writes the export where @huggingface/transformers reads it */
/**
 * The ONNX export against its reader: each tiny checkpoint (BERT, DistilBERT, RoBERTa, ELECTRA, DeBERTa-v3)
 * imported as a run, exported as a Hugging Face folder with onnx/model.onnx and loaded by
 * `@huggingface/transformers` (ONNX Runtime) from disk; its logits on AG News test texts, batched
 * with padding, equal the product's own forward pass with the run's weights.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatasetMeta, Example } from '../../data/types';
import { importModel } from '../../lab/import-model';
import { readCheckpoint, type FolderReader } from '../../models/pretrained/checkpoint';
import { EncoderModel } from '../../models/pretrained/model';
import { EncoderTokenizer, pad } from '../../models/pretrained/tokenize';
import { RunFolder } from '../../runs/run-folder';
import { createAssetStore } from '../../storage/asset-store';
import { memoryStore } from '../../storage/memory';
import { parseAgNewsCsv } from '../../text/agnews-csv';
import { mergedPretrained } from '../merged';
import { bertGraph } from './bert-graph';
import { onnxFiles } from './export';

const ROOT = resolve(import.meta.dirname, '../../../..');
const MODELS = resolve(ROOT, '..', 'shared', 'models');
const TEST = resolve(ROOT, '..', 'shared', 'data', 'ag_news', 'test.csv');
const present = existsSync(`${MODELS}/tiny-bert/model.safetensors`) && existsSync(TEST);
const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];
const rows: Example[] = present ? parseAgNewsCsv(readFileSync(TEST, 'utf8'), 40).map((r, i) => ({ id: `validation:${i}`, ...r })) : [];
const store = memoryStore();
const assets = createAssetStore({ store, readFile: async (p) => new Uint8Array(readFileSync(p)) });
const home = mkdtempSync(join(tmpdir(), 'agnews-onnx-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe.skipIf(!present)('ONNX export', { timeout: 200_000 }, () => {
  it.each(['tiny-bert', 'tiny-distilbert', 'tiny-roberta', 'tiny-electra', 'tiny-deberta-v3'])(
    '%s: @huggingface/transformers loads the folder and its logits equal the product’s to 1e-4',
    async (fixture) => {
      const dir = join(MODELS, fixture);
      const read: FolderReader = async (name) => (existsSync(join(dir, name)) ? new Uint8Array(readFileSync(join(dir, name))) : undefined);
      const run = RunFolder.inStore(memoryStore(), 'source');
      const meta = { id: 'ds', name: 'ag test slice', source: 'test', classes, fingerprint: 'sha256:slice' } as DatasetMeta;
      await importModel({
        from: `file:${dir}`,
        data: { meta, train: [], validation: rows.slice(0, 4) },
        run,
        runId: 'source',
        maxLength: 64,
        backend: { backend: 'cpu', skipped: [] },
        assets,
        hub: { store },
      });
      const merged = await mergedPretrained(await run.loadModel(), assets);
      const files = await onnxFiles(merged);
      for (const [name, bytes] of Object.entries(files)) {
        mkdirSync(dirname(join(home, fixture, name)), { recursive: true });
        writeFileSync(join(home, fixture, name), bytes);
      }

      const model = EncoderModel.fromCheckpoint({ ...(await readCheckpoint(read)), config: merged.meta.hfConfig, weights: merged.weights });
      const tokenizer = await EncoderTokenizer.fromFolder(read);
      // The tiny models have 64 usable positions; texts that fit are compared (the two tokenizers cut long texts differently).
      const fit = rows
        .map((r) => r.text)
        .filter((t) => tokenizer.encode(t, 1000).length <= 64)
        .slice(0, 8);
      expect(fit.length).toBeGreaterThan(3);
      const enc = pad(
        fit.map((t) => tokenizer.encode(t, 64)),
        tokenizer.padId,
      );
      const before = tf.memory().numTensors;
      const ours = tf.tidy(() =>
        model.forward({ inputIds: tf.tensor2d(enc.inputIds, undefined, 'int32'), attentionMask: tf.tensor2d(enc.attentionMask, undefined, 'int32') }).logits.arraySync(),
      );
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();

      const { AutoModelForSequenceClassification, AutoTokenizer, env, pipeline } = await import('@huggingface/transformers');
      env.allowRemoteModels = false;
      env.localModelPath = home;
      const tok = await AutoTokenizer.from_pretrained(fixture);
      const onnx = await AutoModelForSequenceClassification.from_pretrained(fixture, { dtype: 'fp32' });
      const inputs = tok(fit, { padding: true });
      const theirs = ((await onnx(inputs)) as { logits: { tolist(): number[][] } }).logits.tolist();
      await onnx.dispose();
      expect(theirs.length).toBe(fit.length);
      theirs.forEach((row, i) => row.forEach((v, k) => expect(Math.abs(v - ours[i][k])).toBeLessThan(1e-4)));

      const classify = await pipeline('text-classification', fixture, { dtype: 'fp32' });
      const top = (await classify(fit[0])) as { label: string; score: number }[];
      expect(classes).toContain(top[0].label);
      await classify.dispose();
    },
  );

  it('refuses what it does not write, naming it', async () => {
    const dir = join(MODELS, 'tiny-deberta-v3');
    const read: FolderReader = async (name) => (existsSync(join(dir, name)) ? new Uint8Array(readFileSync(join(dir, name))) : undefined);
    const ckpt = await readCheckpoint(read);
    const merged = (hfConfig: Record<string, unknown>) => ({ meta: { hfConfig, classes, maxLength: 64 }, weights: ckpt.weights, read }) as Parameters<typeof onnxFiles>[0];
    await expect(onnxFiles(merged({ ...ckpt.config, conv_kernel_size: 3 }))).rejects.toThrow(/deberta-v2 with a ConvLayer \(conv_kernel_size\) is not written as ONNX yet/);
    // transformers' folder refuses unknown model types first; the graph builders name what they write.
    expect(() => bertGraph(ckpt.config, ckpt.weights)).toThrow(/model_type 'deberta-v2' is not written as ONNX \(bert, roberta, electra, distilbert, deberta-v2\)/);
  });
});
