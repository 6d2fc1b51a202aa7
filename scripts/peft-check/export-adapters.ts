/**
 * Trains a LoRA and an IA3 run on each shared tiny checkpoint (a few AG News rows, CPU backend),
 * writes each run's adapter as PEFT's two files and the run's probabilities for a few texts, so
 * that check_peft.py can load the adapters in Python's PEFT and compare. A manual check (CI has
 * no Python packages): `bash scripts/peft-check/run.sh`.
 *
 * Usage: npx tsx scripts/peft-check/export-adapters.ts OUT_DIR
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../../src/platform/node/gradients';
import { registerSegmentSumKernels } from '../../src/platform/kernels/segment-sum';
import { parseExperimentConfig } from '../../src/core/experiment/config';
import { createEstimator } from '../../src/core/models/registry';
import { peftFiles, peftOfArtifact } from '../../src/core/models/pretrained/peft-format';
import { createAssetStore } from '../../src/core/storage/asset-store';
import { memoryStore } from '../../src/core/storage/memory';
import { parseAgNewsCsv } from '../../src/core/text/agnews-csv';

const out = process.argv[2];
if (!out) throw new Error('usage: export-adapters.ts OUT_DIR');
const ROOT = resolve(import.meta.dirname, '../..');
const MODELS = resolve(ROOT, '..', 'shared', 'models');
const rows = parseAgNewsCsv(readFileSync(resolve(ROOT, '..', 'shared', 'data', 'ag_news', 'train.csv'), 'utf8'), 16).map((r, i) => ({ id: `train:${i}`, ...r }));
const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];
const texts = ['Stocks slide as oil climbs to a record', 'Federer wins the final in straight sets', 'New chip doubles battery life of phones'];
const assets = createAssetStore({ store: memoryStore(), readFile: async (p) => new Uint8Array(readFileSync(p)) });

// As the unit tests set the CPU backend up: without the fast segment-sum kernel DeBERTa's gradients take minutes.
registerSegmentSumKernels();
await tf.setBackend('cpu');
for (const name of ['tiny-bert', 'tiny-distilbert', 'tiny-roberta', 'tiny-electra', 'tiny-deberta-v3'])
  for (const method of ['lora', 'ia3'] as const) {
    const model = parseExperimentConfig({
      model: {
        type: 'pretrained',
        base: `file:${MODELS}/${name}`,
        method,
        maxLength: 32,
        lora: { r: 4, alpha: 8, dropout: 0 },
        train: { epochs: 1, batchSize: 8, lr: method === 'lora' ? 2e-2 : 5e-2, warmupRatio: 0 },
      },
    }).model;
    const est = createEstimator(model);
    await est.fit(rows, { classes, seed: 5, assets });
    const peft = peftOfArtifact(await est.save());
    if (!peft) throw new Error(`${name} ${method}: the run holds no PEFT adapter`);
    const dir = `${out}/${name}-${method}`;
    mkdirSync(dir, { recursive: true });
    for (const [file, bytes] of Object.entries(peftFiles(peft))) writeFileSync(`${dir}/${file}`, bytes);
    const probs = (await est.predictProba(texts)).map((p) => Array.from(p));
    writeFileSync(`${dir}/expected.json`, JSON.stringify({ base: `${MODELS}/${name}`, texts, probs }));
    est.dispose();
    console.error(`${dir}: written`);
  }
