import { describe, expect, it } from 'vitest';
import { evaluateTest } from '../guard/test-guard';
import { memoryStore } from '../storage/memory';
import { GuardError } from '../util/errors';
import type { LabEvent } from './api';
import { createLab } from './lab';
import { noisyAgNewsFiles } from '../../../test/noisy-agnews';

async function setUp() {
  const store = memoryStore();
  const backends: string[] = [];
  const l = createLab({
    store,
    selectBackend: async (choice) => {
      backends.push(choice);
      return { backend: 'cpu', skipped: [] };
    },
    presets: [],
  });
  const meta = await l.importDataset({ kind: 'agnews', files: noisyAgNewsFiles(1400, { test: 120, seed: 12345 }) });
  const train = (name: string, model: object) => l.train({ datasetId: meta.id, runId: name, config: { name, model } }, () => {});
  const members = [
    await train('nb', { type: 'tfidf-nb' }),
    await train('logreg', { type: 'tfidf-logreg' }),
    await train('ft', { type: 'fasttext', tokenizer: 'fasttext', dim: 8, buckets: 512, order: 'file', train: { optimizer: 'fasttext-sgd', lr: 0.5, epochs: 5 } }),
  ];
  return { l, store, meta, members, backends };
}

describe('ensembles and cascades as lab runs', () => {
  it('makes a soft ensemble run that reopens from its own artifact for predict, explain, compare, report and the guarded test evaluation', async () => {
    const { l, meta, members, backends } = await setUp();
    const events: LabEvent['type'][] = [];
    const r = await l.ensemble({ datasetId: meta.id, members: members.map((m) => m.run), method: 'soft', runId: 'soft' }, (e) => events.push(e.type));
    expect(events).toContain('run-started');
    expect(events.at(-1)).toBe('done');
    expect(backends).toEqual([]); // plain-TypeScript members: no tensor backend
    expect(r).toMatchObject({ run: 'soft', model: 'ensemble', family: 'ensemble', backend: 'cpu', config: 'ensemble-soft' });
    expect(r.ensemble!.members.map((m) => m.run)).toEqual(['nb', 'logreg', 'ft']);
    for (const m of r.ensemble!.members) expect(m.weight).toBeCloseTo(1 / 3, 10);
    expect(r.efficiency!.textsPerSecond).toBeGreaterThan(0);
    expect(r.validation.accuracy).toBeGreaterThan(0.5);

    const report = await l.ensembleReport('soft');
    expect(report.kind).toBe('ensemble');
    expect(report.members.map((m) => m.runId)).toEqual(['nb', 'logreg', 'ft']);
    expect(report.diversity!.pairs).toHaveLength(3);
    expect(report.diversity!.pairs[0][1].disagreement).toBeGreaterThan(0);
    expect(report.diversity!.ensembleAccuracy).toBeCloseTo(r.validation.accuracy, 10);
    expect(report.bySize!.length).toBeGreaterThanOrEqual(1);
    const best = Math.max(...report.members.map((m) => m.accuracy));
    expect(report.gain!.delta).toBeCloseTo(r.validation.accuracy - best, 10);
    expect(report.gain!.interval[0]).toBeLessThanOrEqual(report.gain!.delta);
    expect(report.gain!.mcnemarP).toBeGreaterThan(0);

    // Predictions are the average of the members' own.
    const text = 'the league coach and the goal';
    const own = await Promise.all(members.map((m) => l.predict(m.run, [text])));
    const ens = await l.predict('soft', [text]);
    ens.probs[0].forEach((p, k) => expect(p).toBeCloseTo(own.reduce((a, o) => a + o.probs[0][k], 0) / 3, 5));
    const why = await l.explain('soft', text);
    expect(why.tokens.length).toBeGreaterThan(0);

    const cmp = await l.compare(['nb', 'soft']);
    expect(cmp.runs.map((x) => x.runId)).toEqual(['nb', 'soft']);
    const { rows } = await l.resultsFiles(['nb', 'soft']);
    expect(rows).toHaveLength(2);
    const test = await l.evaluateTest('soft', 'ensemble check');
    expect(test.n).toBe(120);
    expect(test.guard.budgetLeft).toBe(4);

    // The members are referenced, not copied: a deleted member makes the ensemble refuse to open, by name.
    await l.deleteRun('nb');
    await expect(l.predict('soft', [text])).rejects.toThrow(/Member run nb of soft/);
  });

  it('stacks members re-fitted k-fold on train, and the test split is refused while it fits', async () => {
    const { l, store, meta, members } = await setUp();
    const plan = await l.stackingPlan(members.map((m) => m.run));
    expect(plan.map((p) => p.refittable)).toEqual([true, true, true]);
    expect(plan.every((p) => p.estimatedSeconds! >= 0)).toBe(true);
    const refusals: unknown[] = [];
    let tried = 0;
    const r = await l.ensemble({ datasetId: meta.id, members: members.map((m) => m.run), method: 'stacking', calibrate: 'temperature', runId: 'stack' }, (e) => {
      if (e.type === 'phase' && e.phase.startsWith('Stacking') && tried++ === 0)
        void evaluateTest(store, meta.id, { purpose: 'peek while weighting', caller: 'test' }, async () => ({ accuracy: 1 })).catch((err) => refusals.push(err));
    });
    await new Promise((res) => setTimeout(res, 0));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toBeInstanceOf(GuardError);
    expect((refusals[0] as Error).message).toMatch(/test split cannot be read during training/);
    expect((await l.guardStatus(meta.id)).left).toBe(5);
    expect(r.ensemble).toMatchObject({ method: 'stacking', calibrate: 'temperature' });
    expect(r.validation.accuracy).toBeGreaterThan(0.5);
    const detail = await l.getRun('stack');
    expect(detail.analysis!.calibration!.method).toBe('temperature');

    // An ensemble member has no config to re-fit: stacking over it is refused with the reason; blending is not.
    const plan2 = await l.stackingPlan(['stack', 'nb']);
    expect(plan2[0]).toMatchObject({ runId: 'stack', refittable: false, reason: expect.stringMatching(/ensemble of runs/) });
    await expect(l.ensemble({ datasetId: meta.id, members: ['stack', 'nb'], method: 'stacking' }, () => {})).rejects.toThrow(/stack cannot .*use "blend"/);
    const nested = await l.ensemble({ datasetId: meta.id, members: ['stack', 'nb'], method: 'weighted', runId: 'nested' }, () => {});
    expect(nested.ensemble!.members.reduce((a, m) => a + m.weight, 0)).toBeCloseTo(1, 10);
    expect((await l.predict('nested', ['shares and stocks rally'])).probs[0]).toHaveLength(4);
  });

  it('makes a cascade run whose thresholds keep the target, with coverage and cost in its record', async () => {
    const { l, meta, members } = await setUp();
    const r = await l.cascade({ datasetId: meta.id, members: ['ft', 'logreg'], target: { maxEscalation: 0.5 }, runId: 'casc' }, () => {});
    expect(r.model).toBe('cascade');
    const c = r.cascade!;
    expect(c.members).toEqual(['ft', 'logreg']);
    expect(c.escalated).toBeLessThanOrEqual(0.5);
    expect(c.coverage[0] + c.coverage[1]).toBeCloseTo(1, 10);
    expect(c.secondsPer1000[1]).toBeCloseTo(1000 / members[1].efficiency!.textsPerSecond, 10);
    const rep = await l.ensembleReport('casc');
    expect(rep.cascade!.stages.map((s) => s.runId)).toEqual(['ft', 'logreg']);
    expect(rep.cascade!.stages[1].threshold).toBeNull();
    expect(rep.cascade!.curve[rep.cascade!.chosen].accuracy).toBeCloseTo(c.accuracy, 10);
    expect((await l.predict('casc', ['chip and software'])).probs[0]).toHaveLength(4);
    await expect(l.ensembleReport('nb')).rejects.toThrow(/not an ensemble or a cascade/);
  });

  it('refuses bad requests with a specific reason and writes no run', async () => {
    const { l, meta } = await setUp();
    const bad = (req: Partial<Parameters<typeof l.ensemble>[0]>) => l.ensemble({ datasetId: meta.id, members: ['nb', 'logreg'], method: 'soft', ...req }, () => {});
    await expect(bad({ members: ['nb'] })).rejects.toThrow(/at least two member runs/);
    await expect(bad({ members: ['nb', 'nb'] })).rejects.toThrow(/nb is listed twice/);
    await expect(bad({ members: ['nb', 'missing'] })).rejects.toThrow(/missing/);
    await expect(bad({ runId: 'nb' })).rejects.toThrow(/cannot be its own member/);
    await expect(bad({ select: 3 })).rejects.toThrow(/select: expected a whole number of members from 1 to 2/);
    await expect(bad({ datasetId: 'other' })).rejects.toThrow(/trained on dataset .* not other/);
    expect((await l.listRuns()).map((r) => r.runId).sort()).toEqual(['ft', 'logreg', 'nb']);
  });
});
