/**
 * The evaluation record `agnews eval` prints (contract: split, n, accuracy, macroF1, perClass,
 * ece, ci95; later fields are additions, never renames). Every interval comes from one seeded
 * bootstrap, so the same predictions always give the same report.
 */
import { headlineCIs, type Interval } from './bootstrap';
import { reliabilityDiagram, type ReliabilityDiagram } from './calibration';
import { customScore, type CustomScoreConfig, type CustomScoreResult } from './custom-score';
import { argmax, brierScore, confusionMatrix, macroClassesFromConfusion, macroScores, summarize, topKAccuracy } from './metrics';

export interface EvalReport {
  split: 'test' | 'file' | 'validation';
  n: number;
  accuracy: number;
  macroF1: number;
  logLoss: number;
  perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  /** Equal-width, 15 bins. */
  ece: number;
  /** Bootstrap 95% interval of accuracy. */
  ci95: Interval;
  confusion: number[][];
  macroPrecision: number;
  macroRecall: number;
  brier: number;
  top2: number;
  eceEqualMass: number;
  reliability: { equalWidth: ReliabilityDiagram; equalMass: ReliabilityDiagram };
  ciMacroF1: Interval;
  ciEce: Interval;
  ciLogLoss: Interval;
  /** Bootstrap settings, so the intervals can be reproduced. */
  bootstrap: { seed: number; resamples: number; level: number };
  custom?: CustomScoreResult;
  /**
   * Present only when some classes neither occur nor are predicted: the classes the macro
   * averages are taken over (the others would count as 0 with no support behind them).
   */
  macroOver?: string[];
}

export interface EvalReportOptions {
  /** A validated cost-sensitive score config (see custom-score.ts). */
  custom?: CustomScoreConfig;
  bins?: number;
  resamples?: number;
}

export function evaluationReport(split: EvalReport['split'], labels: number[], probs: Float32Array[], classes: string[], seed = 1, options: EvalReportOptions = {}): EvalReport {
  const k = classes.length;
  const bins = options.bins ?? 15;
  const resamples = options.resamples ?? 1000;
  const s = summarize(labels, probs, k);
  const pred = probs.map(argmax);
  const macro = macroScores(labels, pred, k);
  const equalWidth = reliabilityDiagram(probs, labels, { bins, binning: 'equal-width' });
  const equalMass = reliabilityDiagram(probs, labels, { bins, binning: 'equal-mass' });
  const cis = headlineCIs(labels, probs, k, { seed, resamples, eceBins: bins });
  const report: EvalReport = {
    split,
    n: labels.length,
    accuracy: s.accuracy,
    macroF1: s.macroF1,
    logLoss: s.loss,
    perClass: Object.fromEntries(classes.map((c, i) => [c, s.perClass[i]])),
    ece: labels.length ? equalWidth.ece : 0,
    ci95: cis.accuracy,
    confusion: confusionMatrix(labels, pred, k),
    macroPrecision: macro.precision,
    macroRecall: macro.recall,
    brier: brierScore(labels, probs),
    top2: topKAccuracy(labels, probs, 2),
    eceEqualMass: labels.length ? equalMass.ece : 0,
    reliability: { equalWidth, equalMass },
    ciMacroF1: cis.macroF1,
    ciEce: cis.ece,
    ciLogLoss: cis.logLoss,
    bootstrap: { seed, resamples, level: 0.95 },
  };
  const present = macroClassesFromConfusion(report.confusion);
  if (present.length < k) report.macroOver = present.map((c) => classes[c]);
  if (options.custom) report.custom = customScore(labels, pred, classes, options.custom);
  return report;
}
