import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../experiment/config';
import { flattenArtifact, unflattenArtifact } from '../artifact-nesting';
import { TOY_CLASSES, toyExamples } from '../classical/fixtures';
import type { Estimator, ModelArtifact } from '../estimator';
import { createEstimator, loadEstimator, type ModelConfig } from '../registry';
import { splitFold, stratifiedFolds } from '../selection/folds';
import { EnsembleEstimator, loadEnsemble } from './ensemble-estimator';
import { outOfFoldProbabilities } from './out-of-fold';

const train = toyExamples(12);
const validation = toyExamples(6, 100);
const texts = toyExamples(4, 500).map((e) => e.text);

const CONFIGS: Record<string, unknown> = {
  'run-nb': { type: 'tfidf-nb' },
  'run-lr': { type: 'tfidf-logreg', C: 1 },
  'run-ft': { type: 'fasttext', dim: 8, buckets: 64, train: { optimizer: 'fasttext-sgd', lr: 0.5, epochs: 3, logEvery: 50 } },
};
const config = (name: string): ModelConfig => parseExperimentConfig({ model: CONFIGS[name] }).model;

async function fitted(name: string): Promise<Estimator> {
  const e = createEstimator(config(name));
  await e.fit(train, { classes: TOY_CLASSES, seed: 7 });
  return e;
}

describe('EnsembleEstimator', () => {
  it('combines real members, saves only references and reloads through a resolver', async () => {
    const names = Object.keys(CONFIGS);
    const members = await Promise.all(names.map(fitted));
    const saved: Record<string, ModelArtifact> = {};
    for (let j = 0; j < names.length; j++) saved[`run:${names[j]}`] = await members[j].save();
    const ens = new EnsembleEstimator({ type: 'ensemble', method: 'soft', members: names });
    names.forEach((n, j) => ens.setMember(n, members[j]));
    await ens.fit(train, { classes: TOY_CLASSES, seed: 1, validation });
    const probs = await ens.predictProba(texts);
    const each = await Promise.all(members.map((m) => m.predictProba(texts)));
    probs.forEach((row, i) => row.forEach((v, k) => expect(v).toBeCloseTo((each[0][i][k] + each[1][i][k] + each[2][i][k]) / 3, 6)));
    expect(ens.report?.validationAccuracy).toBeGreaterThan(0.9);

    // The artifact holds the combiner and references, no member weights.
    const art = await ens.save();
    expect(art.tensors).toEqual({});
    expect(art.members?.map((m) => [m.name, m.ref?.uri, m.artifact])).toEqual(names.map((n) => [n, `run:${n}`, undefined]));
    art.members?.forEach((m) => expect(m.weight).toBeCloseTo(1 / 3, 12));
    // It survives the single-file store's flattening, then loads with members from their runs.
    const flat = flattenArtifact(art);
    const back = unflattenArtifact(JSON.parse(JSON.stringify(flat.head)), flat.tensors);
    const resolved: string[] = [];
    const again = await loadEnsemble(back, async (ref) => {
      resolved.push(ref.uri);
      return loadEstimator(saved[ref.uri]);
    });
    expect(resolved).toEqual(names.map((n) => `run:${n}`));
    const probsAgain = await again.predictProba(texts);
    probsAgain.forEach((row, i) => row.forEach((v, k) => expect(v).toBeCloseTo(probs[i][k], 5)));

    // Only fastText explains: the ensemble's explanation is its attribution (the only part, weight 1).
    const ex = await again.explain(texts[0]);
    const ft = await members[2].explain!(texts[0], ex.target);
    expect(ex.tokens).toEqual(ft.tokens);
    ex.scores.forEach((s, i) => expect(s).toBeCloseTo(ft.scores[i], 6));
    expect(ex.method).toMatch(/run-ft/);
    expect(again.parameterCount()).toBe(members.reduce((n, m) => n + m.parameterCount(), 3));
    expect(await ens.uncalibratedProba(texts)).toBeNull();

    // With a temperature map, the uncalibrated rows are the plain soft vote.
    const cal = new EnsembleEstimator({ type: 'ensemble', method: 'soft', members: names, calibrate: 'temperature' });
    names.forEach((n, j) => cal.setMember(n, members[j]));
    await cal.fit(train, { classes: TOY_CLASSES, seed: 1, validation });
    const before = await cal.uncalibratedProba(texts);
    expect(before?.method).toBe('temperature');
    before!.probs.forEach((row, i) => row.forEach((v, k) => expect(v).toBeCloseTo(probs[i][k], 6)));
    expect((await cal.predictProba(texts)).map((r) => r.indexOf(Math.max(...r)))).toEqual(probs.map((r) => r.indexOf(Math.max(...r))));
    ens.dispose();
    again.dispose();
  });

  it('refuses to predict before its members are resolved, and stacking without re-fits', async () => {
    const art: ModelArtifact = {
      kind: 'ensemble',
      meta: { config: { type: 'ensemble', method: 'soft', members: ['a', 'b'] }, combiner: { method: 'soft', use: [0, 1], weights: [1, 1] } },
      tensors: {},
      members: [
        { name: 'a', ref: { uri: 'run:a' } },
        { name: 'b', ref: { uri: 'run:b' } },
      ],
    };
    await expect(EnsembleEstimator.load(art).predictProba(['x'])).rejects.toThrow(/not loaded/);
    expect(() => EnsembleEstimator.load({ ...art, members: art.members!.slice(0, 1) })).toThrow(/do not match/);
    const st = new EnsembleEstimator({ type: 'ensemble', method: 'stacking', members: ['run-nb', 'run-lr'] });
    st.setMember('run-nb', await fitted('run-nb'));
    st.setMember('run-lr', await fitted('run-lr'));
    await expect(st.fit(train, { classes: TOY_CLASSES, seed: 1, validation })).rejects.toThrow(/refit/);
    st.dispose();
  });

  it("stacks on out-of-fold probabilities from k-fold re-fits of each member's config", async () => {
    const st = new EnsembleEstimator({ type: 'ensemble', method: 'stacking', members: ['run-nb', 'run-lr'], folds: 3 });
    st.setMember('run-nb', await fitted('run-nb'));
    st.setMember('run-lr', await fitted('run-lr'));
    st.refit = (name) => createEstimator(config(name));
    await st.fit(train, { classes: TOY_CLASSES, seed: 1, validation });
    expect(st.combiner?.method).toBe('stacking');
    const p = await st.predictProba(texts);
    p.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5));
    expect(st.report?.validationAccuracy).toBeGreaterThan(0.9);
    st.dispose();
  });
});

describe('outOfFoldProbabilities', () => {
  it('scores each training text with the model fitted without its fold', async () => {
    const make = () => createEstimator(config('run-nb'));
    const oof = await outOfFoldProbabilities(make, train, 3, 5, { classes: TOY_CLASSES });
    expect(oof.length).toBe(train.length);
    // Fold 0 by hand: same split, one fit on the rest.
    const fold = stratifiedFolds(
      train.map((e) => e.label),
      3,
      3,
      5,
    );
    const { fit, heldOut } = splitFold(fold, 0);
    const m = make();
    await m.fit(
      Array.from(fit, (i) => train[i]),
      { classes: TOY_CLASSES, seed: 0 },
    );
    const direct = await m.predictProba(Array.from(heldOut, (i) => train[i].text));
    heldOut.forEach((i, r) => expect(Array.from(oof[i])).toEqual(Array.from(direct[r])));
    await expect(outOfFoldProbabilities(make, train, 1, 5, { classes: TOY_CLASSES })).rejects.toThrow(/folds/);
  });
});
