import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agNewsSliceDir, DATA } from '../../test/cli-spawn';
import { SHARED_MODELS } from '../../test/stand-in-hub';
import { currentPhase, testAllowed } from '../core/guard/phase';
import type { PretrainRecord } from '../core/lab/pretrain';
import { requestFor } from '../platform/node/data-source';
import { createNodeLab } from '../platform/node/node-lab';

const present = existsSync(DATA) && existsSync(SHARED_MODELS);
if (!present && process.env.CI) throw new Error(`the pretrain tests need ${DATA} and ../shared/models, absent under CI`);

/** The terminal's lab in this process, with its store in a fresh cache folder. */
function nodeLab() {
  process.env.AGNEWS_CACHE = mkdtempSync(join(tmpdir(), 'agnews-cache-'));
  return createNodeLab({ backend: 'cpu' });
}

describe.skipIf(!present)(`agnews pretrain (the Node lab)${present ? '' : ' (skipped: ../shared absent)'}`, { timeout: 600_000 }, () => {
  it('pretrains tiny-bert 2 steps on 64 train texts into a folder that a fine-tuning config names as "file:OUT"', async () => {
    const lab = nodeLab();
    const data = await lab.importDataset(requestFor(agNewsSliceDir('agnews-pretrain-', 100, 10)));
    const dir = mkdtempSync(join(tmpdir(), 'agnews-pretrain-'));
    const out = join(dir, 'tiny-bert-news');
    const base = `file:${resolve(SHARED_MODELS, 'tiny-bert')}`;
    const steps: number[] = [];
    const phases: string[] = [];
    const record: PretrainRecord = await lab.pretrain(
      { datasetId: data.id, base, out, steps: 2, batchSize: 8, maxLength: 32, maxTexts: 64, backend: 'cpu', checkpointEvery: 1 },
      (e) => {
        if (e.type !== 'step') return;
        steps.push(e.step);
        // Steps run in the guard's training phase, where reading the test split is refused.
        phases.push(`${currentPhase()}:${testAllowed() ? 'test readable' : 'test refused'}`);
      },
    );
    expect(steps).toEqual([1, 2]);
    expect(phases).toEqual(['training:test refused', 'training:test refused']);
    expect(record).toMatchObject({ status: 'done', step: 2, totalSteps: 2, architecture: 'BertForMaskedLM', freshHead: true, backend: 'cpu' });
    // Train texts only: 64 of those the 10% validation split leaves.
    expect(record.dataset).toMatchObject({ id: data.id, split: 'train', texts: 64, of: data.sizes.train });
    expect(readdirSync(out).sort()).toEqual(['config.json', 'model.safetensors', 'pretrain.json', 'tokenizer.json', 'tokenizer_config.json']);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).architectures).toEqual(['BertForMaskedLM']);

    const run = join(dir, 'fine-tuned');
    const result = await lab.train(
      {
        datasetId: data.id,
        config: {
          name: 'from-pretrain',
          model: { type: 'pretrained', base: `file:${out}`, maxLength: 32, train: { lr: 1e-3, batchSize: 32, epochs: 1 } },
          // Any encoder has far too many parameters per example for a 90-text slice: the test only checks the base loads.
          guard: { override: { reason: 'a 90-text slice fine-tuning the pretrain test output for three steps' } },
        },
        runId: run,
        backend: 'cpu',
      },
      () => {},
    );
    expect(result).toMatchObject({ model: 'pretrained', family: 'pretrained', backend: 'cpu', data: { train: data.sizes.train, validation: data.sizes.validation } });
    expect(Number.isFinite(result.validation.loss)).toBe(true);

    // Continuing from the result reads its head back instead of drawing a fresh one.
    const again = await lab.pretrain(
      { datasetId: data.id, base: `file:${out}`, out: join(dir, 'again'), steps: 1, batchSize: 8, maxLength: 32, maxTexts: 16, backend: 'cpu' },
      () => {},
    );
    expect(again.freshHead).toBe(false);
  });

  it('refuses an occupied folder and bad settings before writing anything', async () => {
    const lab = nodeLab();
    const data = await lab.importDataset(requestFor(agNewsSliceDir('agnews-pretrain-', 40, 10)));
    const base = `file:${resolve(SHARED_MODELS, 'tiny-bert')}`;
    const dir = mkdtempSync(join(tmpdir(), 'agnews-pretrain-'));
    await expect(lab.pretrain({ datasetId: data.id, base, out: join(dir, 'a'), steps: 1, lr: -1, maskProb: 2 }, () => {})).rejects.toThrow(
      /learning rate must be positive \(got -1\)|mask probability must be in \(0, 1\); got 2/,
    );
    expect(existsSync(join(dir, 'a'))).toBe(false);
    const used = join(dir, 'b');
    await lab.pretrain({ datasetId: data.id, base, out: used, steps: 1, batchSize: 4, maxLength: 16, backend: 'cpu' }, () => {});
    const before = readFileSync(join(used, 'model.safetensors'));
    await expect(lab.pretrain({ datasetId: data.id, base, out: used, steps: 1, backend: 'cpu' }, () => {})).rejects.toThrow(
      /already holds config.json, model.safetensors, pretrain.json/,
    );
    expect(readFileSync(join(used, 'model.safetensors')).equals(before)).toBe(true);
    await expect(
      lab.pretrain({ datasetId: data.id, base: `file:${resolve(SHARED_MODELS, 'tiny-electra')}`, out: join(dir, 'c'), steps: 1, backend: 'cpu' }, () => {}),
    ).rejects.toThrow(/supports model_type bert, distilbert, roberta; got 'electra'/);
    expect(existsSync(join(dir, 'c', 'model.safetensors'))).toBe(false);
  });
});
