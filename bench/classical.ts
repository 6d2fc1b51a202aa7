/**
 * Classical tier benchmark: fit each preset on ../shared/data/ag_news/train.csv, score on
 * test.csv, and compare with the scikit-learn peers run once in the same process tree.
 *   npx tsx bench/classical.ts [--no-peers] [--models=tfidf-nb,tfidf-svm] [--peers-file=x.jsonl]
 * Presets come from configs/<kind>.json; --params-<kind>=JSON replaces one preset's model
 * parameters. Prints the peers' own lines, then one JSON line per preset.
 */
import { readFileSync } from 'node:fs';
import { parseAgNewsCsv } from '../src/core/text';
import { ClassicalEstimator, CLASSICAL_KINDS, type ClassicalKind } from '../src/core/models/classical';
import { scorePredictions } from '../src/core/models/selection/grid-search';
import { parseExperimentConfig, type ExperimentConfig } from '../src/core/experiment/config';
import { createEstimator } from '../src/core/models/registry';
import { calibrationReport } from '../src/core/eval/calibration';
import { PEER_OF, runPeers, type PeerResult } from './peers';

const DATA = '../shared/data/ag_news';
const CLASSES = ['World', 'Sports', 'Business', 'Sci/Tech'];

/**
 * The presets users run: configs/<kind>.json, parsed by the experiment config parser and built
 * through the model registry, so the bench measures exactly what `configs/` ships.
 */
export function loadPreset(kind: ClassicalKind, override?: Record<string, unknown>): { config: ExperimentConfig; estimator: ClassicalEstimator } {
  const path = `configs/${kind}.json`;
  const json = JSON.parse(readFileSync(path, 'utf8')) as { model?: Record<string, unknown> };
  // --params-<kind>=JSON replaces the preset's model parameters (the type stays).
  if (override) json.model = { ...override, type: kind };
  const config = parseExperimentConfig(json, path);
  if (config.model.type !== kind) throw new Error(`${path}: model.type is "${config.model.type}", expected "${kind}"`);
  const estimator = createEstimator(config.model);
  if (!(estimator instanceof ClassicalEstimator)) throw new Error(`${path} did not build a classical estimator`);
  return { config, estimator };
}

const arg = (name: string): string | undefined => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const models = (arg('models')?.split(',') ?? CLASSICAL_KINDS) as ClassicalKind[];
  let peers = new Map<string, PeerResult>();
  if (arg('peers-file')) {
    for (const l of readFileSync(arg('peers-file')!, 'utf8')
      .split('\n')
      .filter((x) => x.startsWith('{'))) {
      const p = JSON.parse(l) as PeerResult;
      peers.set(p.model, p);
    }
  } else if (!process.argv.includes('--no-peers')) {
    // Peers first and alone: the machine has 2 cores and timings must not overlap.
    const r = runPeers();
    peers = r.results;
    for (const l of r.lines) console.log(JSON.stringify({ bench: 'peer', ...JSON.parse(l) }));
  }
  const train = parseAgNewsCsv(readFileSync(`${DATA}/train.csv`, 'utf8')).map((r, i) => ({ id: `train:${i + 1}`, ...r }));
  const test = parseAgNewsCsv(readFileSync(`${DATA}/test.csv`, 'utf8'));
  const testTexts = test.map((r) => r.text);
  const testLabels = test.map((r) => r.label);
  for (const kind of models) {
    const override = JSON.parse(arg(`params-${kind}`) ?? 'null') as Record<string, unknown> | null;
    const { estimator: e } = loadPreset(kind, override ?? undefined);
    await e.fit(train, { classes: CLASSES, seed: 42 });
    // Warm-up on a slice so the JIT state matches a long-running app, then time the full split.
    await e.predictProba(testTexts.slice(0, 500));
    const t0 = performance.now();
    const probs = await e.predictProba(testTexts);
    const predictS = (performance.now() - t0) / 1000;
    const s = scorePredictions(probs, testLabels, CLASSES.length);
    const { featurizeSeconds, fitSeconds } = e.lastFitTimings;
    const peer = peers.get(PEER_OF[kind]);
    const docsPerS = Math.round(test.length / predictS);
    const line: Record<string, unknown> = {
      bench: 'classical',
      model: kind,
      acc: round(s.accuracy),
      macro_f1: round(s.macroF1),
      featurize_s: round(featurizeSeconds, 2),
      fit_s: round(fitSeconds, 2),
      predict_docs_per_s: docsPerS,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
      params: e.parameterCount(),
    };
    // Calibrated presets: ECE (15 equal-width bins) and log loss on test, before and after the
    // calibration map (before: the softmax of the raw scores).
    const before = await e.uncalibratedProba(testTexts);
    if (before) {
      const c = calibrationReport(before.probs, probs, testLabels);
      line.calibration = {
        method: before.method,
        before: before.before,
        ece_before: round(c.eceBefore),
        ece_after: round(c.eceAfter),
        log_loss_before: round(c.logLossBefore),
        log_loss_after: round(c.logLossAfter),
      };
    }
    if (peer) {
      const theirs = (peer.featurize_s ?? 0) + peer.fit_s;
      line.peer = peer;
      line.ratio = {
        acc_minus_peer: round(s.accuracy - peer.acc),
        featurize_fit_time: round((featurizeSeconds + fitSeconds) / theirs, 3),
        predict_throughput: round(docsPerS / peer.predict_docs_per_s, 2),
      };
    }
    console.log(JSON.stringify(line));
    e.dispose();
  }
}

await main();
