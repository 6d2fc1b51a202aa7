/**
 * Comparative study on the AG News test split: a classical and a neural preset trained on the
 * same training split, scored on the same test examples, with bootstrap CIs, McNemar's exact
 * test and a paired bootstrap of the difference.
 *   npm run bench -- compare [--a=tfidf-svm] [--b=fasttext-cpu]
 */
import { argmax, headlineCIs, mcnemar, pairedBootstrap, summarize } from '../src/core/eval';
import { createEstimator } from '../src/core/models/registry';
import { selectNodeBackend } from '../src/platform/node/backend';
import { agNewsTrainTest, preset } from './shared';

const arg = (name: string, d: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d;
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const { train, test, classes } = await agNewsTrainTest();
const labels = test.map((e) => e.label);
const k = classes.length;
await selectNodeBackend('cpu');

const preds: number[][] = [];
const names = [arg('a', 'tfidf-svm'), arg('b', 'fasttext-cpu')];
for (const name of names) {
  const cfg = preset(name);
  const m = createEstimator(cfg.model);
  const t0 = performance.now();
  await m.fit(train, { classes, seed: cfg.seed });
  const fitS = (performance.now() - t0) / 1000;
  const probs = await m.predictProba(test.map((e) => e.text));
  m.dispose();
  const s = summarize(labels, probs, k);
  const ci = headlineCIs(labels, probs, k, { seed: 1 });
  preds.push(probs.map(argmax));
  console.log(
    JSON.stringify({
      bench: 'compare',
      model: name,
      family: m.family,
      n: labels.length,
      acc: round(s.accuracy),
      acc_ci95: ci.accuracy.map((x) => round(x)),
      macro_f1: round(s.macroF1),
      macro_f1_ci95: ci.macroF1.map((x) => round(x)),
      fit_s: round(fitS, 2),
    }),
  );
}
const mc = mcnemar(labels, preds[0], preds[1]);
const acc = pairedBootstrap(labels, preds[0], preds[1], k, { metric: 'accuracy', seed: 1 });
const f1 = pairedBootstrap(labels, preds[0], preds[1], k, { metric: 'macroF1', seed: 1 });
console.log(
  JSON.stringify({
    bench: 'compare-test',
    a: names[0],
    b: names[1],
    mcnemar: { b: mc.b, c: mc.c, p: Number(mc.pValue.toPrecision(4)) },
    paired_bootstrap: {
      accuracy_diff: round(acc.delta),
      ci95: acc.ci.map((x) => round(x)),
      p: round(acc.pValue),
      macroF1_diff: round(f1.delta),
      macroF1_ci95: f1.ci.map((x) => round(x)),
    },
  }),
);
