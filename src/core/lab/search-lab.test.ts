/**
 * A real small search through the lab in-process, on a slice of the shared AG News files:
 * classical trials (single-shot, every kept run readable by compare), a neural fastText search
 * whose hopeless trial the median rule stops at its first epoch, the guard's search phase around
 * every trial, and the refusals that come before any data is read.
 */
// Tests run under Node; reading the shared fixture files is the one platform call here.
// eslint-disable-next-line no-restricted-imports
import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { activePhases, testAllowed } from '../guard/phase';
import { memoryStore } from '../storage/memory';
import type { LabEvent } from './api';
import { createLab } from './lab';
import type { SearchEvent, SearchRequest } from './search-api';

const dir = '../shared/data/ag_news';
const present = existsSync(`${dir}/train.csv`) && existsSync(`${dir}/test.csv`);
if (!present && process.env.CI) throw new Error(`the search lab tests need ${dir}, which is absent under CI`);
const enc = new TextEncoder();
const head = (f: string, n: number) => enc.encode(readFileSync(`${dir}/${f}`, 'utf8').split('\n').slice(0, n).join('\n') + '\n');
const override = { override: { reason: 'search test on a 1,200-row slice' } };

async function setUp() {
  const store = memoryStore();
  const lab = createLab({ store, selectBackend: async () => ({ backend: 'cpu', skipped: [] }), presets: [] });
  const files = [
    { name: 'train.csv', bytes: head('train.csv', 1200) },
    { name: 'test.csv', bytes: head('test.csv', 100) },
    { name: 'classes.txt', bytes: new Uint8Array(readFileSync(`${dir}/classes.txt`)) },
  ];
  const meta = await lab.importDataset({ kind: 'agnews', files });
  return { lab, store, datasetId: meta.id };
}

describe.skipIf(!present)('lab.search on a slice of AG News (skipped: ../shared/data/ag_news absent)', () => {
  it('runs classical trials in the search phase, keeps every completed run with keep "all", and compare reads them', async () => {
    const { lab, store, datasetId } = await setUp();
    const events: LabEvent[] = [];
    const phases = new Set<string>();
    const req: SearchRequest = {
      datasetId,
      config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: override },
      space: { 'model.alpha': { low: 0.01, high: 1, log: true }, 'model.vectorizer.word.ngramMax': [1, 2] },
      trials: 4,
      sampler: 'random',
      keep: 'all',
      searchId: 'nb-search',
    };
    const out = await lab.search(req, (e) => {
      events.push(e);
      if (e.type === 'phase') {
        activePhases().forEach((p) => phases.add(p));
        expect(testAllowed()).toBe(false);
      }
    });
    expect(phases.has('search')).toBe(true);
    expect(out.trials).toHaveLength(4);
    expect(out.trials.every((t) => t.state === 'complete')).toBe(true);
    expect(out.kept).toEqual(['nb-search-trial-000', 'nb-search-trial-001', 'nb-search-trial-002', 'nb-search-trial-003']);
    expect(out.best.value).toBe(Math.max(...out.trials.map((t) => t.value!)));
    expect(out.bestRunId).toBe(`nb-search-trial-${String(out.best.number).padStart(3, '0')}`);
    expect((out.bestConfig as { model: { alpha: number } }).model.alpha).toBe(out.best.params['model.alpha']);
    // Each trial is a finished run with its settings in its config and its score in its record.
    for (const t of out.trials) {
      const run = await lab.getRun(t.runId!);
      expect(run.status).toBe('done');
      expect((run.config as { model: { alpha: number } }).model.alpha).toBe(t.params['model.alpha']);
      expect(run.result!.validation.accuracy).toBe(t.value);
      expect(t.intermediate).toEqual([]); // single-shot: nothing for a pruner
    }
    const cmp = await lab.compare(out.kept);
    expect(cmp.runs.map((r) => r.runId)).toEqual(out.kept);
    // Progress: each trial's start and end, with the budget as the total, and the summary record.
    const progress = events.filter((e): e is SearchEvent => e.type === 'search-trial');
    expect(progress.map((p) => [p.done, p.total])).toEqual([0, 1, 1, 2, 2, 3, 3, 4].map((d) => [d, 4]));
    expect(progress.at(-1)!.secondsLeft).toBe(0);
    const summary = JSON.parse(new TextDecoder().decode((await store.read('runs/nb-search/search.json'))!));
    expect(summary).toMatchObject({ searchId: 'nb-search', sampler: 'random', pruner: 'median', budget: 4, bestRunId: out.bestRunId, split: 'validation' });
    // The same request again is refused, then replaces the search on purpose.
    await expect(lab.search(req, () => {})).rejects.toThrow(/nb-search already holds a search/);
    const again = await lab.search({ ...req, overwrite: true, keep: 'best' }, () => {});
    expect(again.trials.map((t) => t.params)).toEqual(out.trials.map((t) => t.params));
    expect(again.trials.map((t) => t.value)).toEqual(out.trials.map((t) => t.value));
    expect(again.kept).toEqual([out.bestRunId]);
    expect((await lab.listRuns()).map((r) => r.runId)).toEqual([out.bestRunId]);
  });

  it('keeps only the best logreg run of a grid, and the others are gone', async () => {
    const { lab, datasetId } = await setUp();
    const out = await lab.search(
      {
        datasetId,
        config: { name: 'lr', model: { type: 'tfidf-logreg', maxIter: 20, vectorizer: { char: null } }, guard: override },
        space: { 'model.C': [0.5, 4, 16] },
        trials: 5,
        sampler: 'grid',
        searchId: 's',
      },
      () => {},
    );
    expect(out.trials.map((t) => t.params['model.C'])).toEqual([0.5, 4, 16]);
    expect(out.stopped).toMatch(/grid sampler ran out of settings after 3 trials/);
    expect(out.kept).toEqual([out.bestRunId]);
    expect((await lab.listRuns()).map((r) => r.runId)).toEqual([out.bestRunId]);
    expect((await lab.compare([out.bestRunId])).runs).toHaveLength(1);
  });

  it('stops a hopeless fastText trial at its first epoch by the median rule and deletes its run', async () => {
    const { lab, datasetId } = await setUp();
    const config = {
      name: 'ft',
      model: { type: 'fasttext', tokenizer: 'fasttext', dim: 8, buckets: 4096, order: 'file', train: { optimizer: 'fasttext-sgd', lr: 0.5, epochs: 4 } },
      guard: override,
    };
    // Five trials with a useful learning rate complete (the median rule's start-up), then one that cannot learn.
    const lrs = [0.5, 0.4, 0.3, 0.6, 0.45, 0.00001];
    const trialEvents: SearchEvent[] = [];
    const out = await lab.search({ datasetId, config, space: { 'model.train.lr': lrs }, trials: 6, sampler: 'grid', pruner: 'median', keep: 'all', searchId: 'ft' }, (e) => {
      if (e.type === 'search-trial') trialEvents.push(e);
    });
    expect(out.trials.slice(0, 5).every((t) => t.state === 'complete' && t.intermediate.length === 4)).toBe(true);
    const last = out.trials[5];
    expect(last.state).toBe('pruned');
    expect(last.reason).toMatch(/median pruner at step 1/);
    expect(last.intermediate).toHaveLength(1);
    expect(last.runId).toBeUndefined();
    expect(out.kept).toHaveLength(5);
    expect((await lab.listRuns()).map((r) => r.runId).sort()).toEqual(out.kept.slice().sort());
    // Intermediate values are the runs' own validation accuracy at each epoch end.
    const run = await lab.getRun(out.kept[0]);
    expect(run.metrics.filter((m) => m.kind === 'epoch').map((m) => m.val_accuracy)).toEqual(out.trials[0].intermediate.map((i) => i.value));
    expect(trialEvents.at(-1)!.trial.state).toBe('pruned');
  });

  const tensors: { before?: number; afterCompleted?: number; after?: number } = {};
  it('prunes a TF.js fastText trial through the tensor loop; the completed trials leave no tensors behind', async () => {
    const { lab, datasetId } = await setUp();
    const config = { name: 'ft-tf', model: { type: 'fasttext', dim: 8, buckets: 2048, train: { lr: 0.05, epochs: 2, batchSize: 32 } }, guard: override };
    tensors.before = tf.memory().numTensors;
    const out = await lab.search(
      { datasetId, config, space: { 'model.train.lr': [0.05, 0.08, 0.03, 0.1, 0.06, 1e-7] }, trials: 6, sampler: 'grid', pruner: 'median', searchId: 'ft-tf' },
      (e) => {
        if (e.type === 'search-trial' && e.trial.number === 4 && e.trial.state === 'complete') tensors.afterCompleted = tf.memory().numTensors;
      },
    );
    tensors.after = tf.memory().numTensors;
    expect(out.trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete', 'complete', 'complete', 'pruned']);
    expect(out.trials[5].intermediate).toHaveLength(1);
    expect(out.kept).toEqual([out.bestRunId]);
    expect(tensors.afterCompleted).toBe(tensors.before);
  });

  it('a pruned TF.js trial leaves no tensors behind either', () => {
    expect(tensors.after).toBeDefined();
    expect(tensors.after).toBe(tensors.before);
  });

  it('refuses a bad space, sampler or budget before reading any data', async () => {
    const { lab, datasetId } = await setUp();
    const base = { datasetId, config: { name: 'nb', model: { type: 'tfidf-nb' } }, trials: 2 };
    await expect(lab.search({ ...base, space: { 'model.alphaa': [0.1] } }, () => {})).rejects.toThrow(/space: model.alphaa = 0.1 is not a valid experiment config/);
    await expect(lab.search({ ...base, space: { 'model.alpha': { low: -1, high: 1 } } }, () => {})).rejects.toThrow(/model.alpha = -1/);
    await expect(lab.search({ ...base, space: { 'model.alpha': [0.1] }, sampler: 'bayes' as never }, () => {})).rejects.toThrow(/Unknown sampler "bayes"/);
    await expect(lab.search({ ...base, space: { 'model.alpha': [0.1] }, trials: 0 }, () => {})).rejects.toThrow(/trial budget/);
    await expect(lab.search({ ...base, space: { 'model.alpha': [0.1] }, keep: 'some' as never }, () => {})).rejects.toThrow(/keep must be "best" or "all"/);
    await expect(lab.search({ ...base, space: { 'model.alpha': [0.1] }, pruner: 'hyperband' as never }, () => {})).rejects.toThrow(/Unknown pruner "hyperband"/);
    await expect(lab.search({ ...base, space: {} }, () => {})).rejects.toThrow(/space is empty/);
    expect(await lab.listRuns()).toEqual([]);
  });

  it('is cancelled by lab.cancel, leaving no runs behind', async () => {
    const { lab, datasetId } = await setUp();
    let started = 0;
    const p = lab.search(
      { datasetId, config: { name: 'nb', model: { type: 'tfidf-nb' }, guard: override }, space: { 'model.alpha': { low: 0.01, high: 1, log: true } }, trials: 20, sampler: 'tpe' },
      (e) => {
        if (e.type === 'search-trial' && e.trial.state === 'complete' && ++started === 2) void lab.cancel();
      },
    );
    await expect(p).rejects.toThrow(/cancel/i);
    expect(await lab.listRuns()).toEqual([]);
  });
});
