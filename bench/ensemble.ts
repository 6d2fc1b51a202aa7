/**
 * Ensembles, a cascade and a distilled student on the AG News test split, all made through the
 * lab (members trained by lab.train, combined by lab.ensemble / lab.cascade, the student by
 * lab.distill) and scored on test through the test-set guard: one guarded read, its purpose
 * logged, in which every model predicts the same test texts. Each line gives accuracy with its
 * 95% bootstrap interval and McNemar's exact test against the best member on test.
 *   npm run bench -- ensemble [--members=tfidf-svm,fasttext-cpu,tfidf-nb,tfidf-logreg] [--folds=5] [--max-train=N] [--no-distill]
 */
import { readFileSync } from 'node:fs';
import { argmax, headlineCIs, mcnemar, pairedBootstrap } from '../src/core/eval';
import type { ResultRecord } from '../src/core/experiment/result';
import { evaluateTest } from '../src/core/guard/test-guard';
import { createLab } from '../src/core/lab/lab';
import { runCascade } from '../src/core/models/ensemble/cascade';
import { memoryStore } from '../src/core/storage/memory';
import { selectNodeBackend } from '../src/platform/node/backend';
import { DATA, preset } from './shared';

const arg = (name: string, d: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d;
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const line = (o: object) => console.log(JSON.stringify({ bench: 'ensemble', ...o }));
const quiet = () => {};

const memberNames = arg('members', 'tfidf-svm,fasttext-cpu,tfidf-nb,tfidf-logreg').split(',');
const folds = Number(arg('folds', '5'));
const maxTrain = process.argv.some((a) => a.startsWith('--max-train=')) ? Number(arg('max-train', '0')) : undefined;
const distill = !process.argv.includes('--no-distill');

const store = memoryStore();
const lab = createLab({ store, selectBackend: selectNodeBackend, backend: 'cpu', presets: [], caller: 'bench ensemble' });
const file = (name: string) => ({ name, bytes: new Uint8Array(readFileSync(`${DATA}/${name}`)) });
const dataset = await lab.importDataset({ kind: 'agnews', files: ['train.csv', 'test.csv', 'classes.txt'].map(file) });
const datasetId = dataset.id;
const withData = (name: string) => {
  const cfg = preset(name);
  // A quick run on a train subset trips the size checks meant for real runs: it says why it goes ahead.
  return maxTrain ? { ...cfg, data: { ...cfg.data, maxTrain }, guard: { ...cfg.guard, override: { reason: `bench quick mode: ${maxTrain} training texts` } } } : cfg;
};

const records = new Map<string, ResultRecord>();
const keep = (r: ResultRecord) => (records.set(r.run, r), r);
for (const name of memberNames) {
  const r = keep(await lab.train({ datasetId, config: withData(name), runId: name }, quiet));
  line({ what: 'member-trained', run: name, val_acc: round(r.validation.accuracy), train_s: round(r.timings.trainSeconds, 1), texts_per_s: r.efficiency?.textsPerSecond });
}
for (const p of await lab.stackingPlan(memberNames)) line({ what: 'stacking-plan', ...p });

const ensembles: string[] = [];
const make = async (runId: string, method: 'soft' | 'weighted' | 'stacking', select?: number) => {
  const r = keep(await lab.ensemble({ datasetId, members: memberNames, method, select, folds, runId }, quiet));
  ensembles.push(runId);
  line({
    what: 'ensemble-made',
    run: runId,
    val_acc: round(r.validation.accuracy),
    fit_s: round(r.timings.trainSeconds, 1),
    weights: r.ensemble!.members.map((m) => round(m.weight, 3)),
  });
};
await make('soft', 'soft');
await make('weighted', 'weighted');
await make('stacking', 'stacking');
await make('selected', 'weighted', Math.min(3, memberNames.length));
// The best ensemble is chosen on validation, never on test.
const bestEnsemble = ensembles.reduce((a, b) => (records.get(b)!.validation.accuracy > records.get(a)!.validation.accuracy ? b : a));
const cheap = memberNames.includes('fasttext-cpu') ? 'fasttext-cpu' : memberNames[0];
keep(await lab.cascade({ datasetId, members: [cheap, bestEnsemble], runId: 'cascade' }, quiet));
keep(await lab.cascade({ datasetId, members: [cheap, bestEnsemble], target: { maxEscalation: 0.3 }, runId: 'cascade-30' }, quiet));

let student: string | undefined;
let distillError: string | undefined;
if (distill) {
  try {
    student = keep(await lab.distill({ datasetId, teacher: bestEnsemble, config: withData('fasttext-cpu'), runId: 'student', baseline: false }, quiet)).run;
  } catch (e) {
    // The other lines stand without the student: say why it is missing.
    distillError = (e as Error).message;
  }
}

// One guarded read of the test split: every model predicts the same texts inside it.
const cascades = ['cascade', 'cascade-30'];
const scored = [...memberNames, ...ensembles, ...cascades, ...(student ? [student] : [])];
const { result: test } = await evaluateTest(
  store,
  datasetId,
  { purpose: 'bench ensemble: members, ensembles, cascades and student scored once', caller: 'bench ensemble' },
  async (examples) => {
    const texts = examples.map((e) => e.text);
    const probs = new Map<string, Float32Array[]>();
    for (const id of scored)
      probs.set(
        id,
        (await lab.predict(id, texts)).probs.map((p) => Float32Array.from(p)),
      );
    return { accuracy: NaN, labels: examples.map((e) => e.label), probs };
  },
);
const { labels, probs } = test;
// Prediction speed as every run records it (batches of 64 and batch-1 latency on validation texts), not the test pass above, which includes loading each model.
const speed = (id: string) => records.get(id)!.efficiency?.textsPerSecond;
const k = dataset.classes.length;
const preds = new Map([...probs].map(([id, p]) => [id, p.map(argmax)]));
const acc = (id: string) => preds.get(id)!.reduce((n, p, i) => n + (p === labels[i] ? 1 : 0), 0) / labels.length;
// The best member by validation accuracy is the one every ensemble must beat.
const bestMember = memberNames.reduce((a, b) => (records.get(b)!.validation.accuracy > records.get(a)!.validation.accuracy ? b : a));
const versus = (id: string, other: string) => {
  const m = mcnemar(labels, preds.get(id)!, preds.get(other)!);
  const pb = pairedBootstrap(labels, preds.get(id)!, preds.get(other)!, k, { seed: 1 });
  return { vs: other, delta: round(pb.delta), delta_ci95: pb.ci.map((x) => round(x)), mcnemar_p: Number(m.pValue.toPrecision(4)) };
};
for (const id of [...memberNames, ...ensembles]) {
  const ci = headlineCIs(labels, probs.get(id)!, k, { seed: 1 });
  line({
    what: memberNames.includes(id) ? 'member' : 'ensemble',
    run: id,
    n: labels.length,
    test_acc: round(acc(id)),
    acc_ci95: ci.accuracy.map((x) => round(x)),
    ...(id === bestMember ? { best_member: true } : versus(id, bestMember)),
    val_acc: round(records.get(id)!.validation.accuracy),
    texts_per_s: speed(id),
  });
}

for (const id of cascades) {
  const c = records.get(id)!.cascade!;
  const onTest = runCascade(
    [cheap, bestEnsemble].map((m, j) => ({ name: m, probs: probs.get(m)!, secondsPer1000: c.secondsPer1000[j] })),
    labels,
    c.thresholds,
  );
  line({
    what: 'cascade',
    run: id,
    target: id === 'cascade' ? { keepAccuracy: 0.995 } : { maxEscalation: 0.3 },
    stages: [cheap, bestEnsemble],
    threshold: c.thresholds[0],
    test_acc: round(acc(id)),
    acc_ci95: headlineCIs(labels, probs.get(id)!, k, { seed: 1 }).accuracy.map((x) => round(x)),
    kept_of_ensemble: round(acc(id) / acc(bestEnsemble)),
    escalated: round(onTest.escalation),
    cost_ratio: round(onTest.secondsPer1000 / c.secondsPer1000[1]),
    val: { acc: round(c.accuracy), escalated: round(c.escalated), cost_ratio: round(c.costRatio) },
    ...versus(id, bestEnsemble),
    texts_per_s: speed(id),
  });
}

if (student) {
  const r = records.get(student)!;
  line({
    what: 'student',
    run: student,
    teacher: bestEnsemble,
    test_acc: round(acc(student)),
    acc_ci95: headlineCIs(labels, probs.get(student)!, k, { seed: 1 }).accuracy.map((x) => round(x)),
    ...versus(student, cheap),
    plain_test_acc: round(acc(cheap)),
    texts_per_s: speed(student),
    plain_texts_per_s: speed(cheap),
    distill: r.distill,
  });
} else line({ what: 'student', skipped: distillError ?? '--no-distill' });
