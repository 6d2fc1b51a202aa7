/**
 * What every finished run records beyond its headline scores: the full validation report
 * (intervals, confusion, reliability, error analysis), its per-example predictions (so two runs
 * on the same validation split can be compared pairwise later, without re-running either), and
 * efficiency figures measured on the trained model. Written once, read by Compare and reports.
 */
import type { Example } from '../data/types';
import { calibrationReport, type CalibrationReport } from '../eval/calibration';
import { measureLatency, measureThroughput, type Efficiency, type Predictor } from '../eval/efficiency';
import { mostConfusedPairs, misclassified, type ConfusedPair, type Misclassified } from '../eval/error-analysis';
import { argmax } from '../eval/metrics';
import { evaluationReport, type EvalReport } from '../eval/report';
import { sha256Hex } from '../util/hash';

/** Texts timed for throughput and calls timed for latency: enough for stable medians, cheap on SwiftShader. */
const THROUGHPUT_TEXTS = 512;
const LATENCY_CALLS = 40;

// Where result.ts and the page have always found it.
export type { Efficiency };

/** Per-example predictions on one split, keyed by a hash of the example ids in order. */
export interface SplitPredictions {
  split: 'validation';
  /** sha256 over the ids in order: pairwise tests need the same examples in the same order. */
  idsHash: string;
  labels: number[];
  predicted: number[];
  /** Probability of the predicted class. */
  confidence: number[];
}

export interface ValidationAnalysis extends EvalReport {
  confusedPairs: ConfusedPair[];
  misclassified: Misclassified[];
  /**
   * For models with a calibration map: its name, how the "before" probabilities are formed, and
   * the validation ECE and log loss before and after it.
   */
  calibration?: CalibrationReport & { method: string; before: string };
}

export async function idsHashOf(examples: readonly Pick<Example, 'id'>[]): Promise<string> {
  return `sha256:${await sha256Hex(examples.map((e) => e.id).join('\n'))}`;
}

export async function analyseValidation(
  validation: readonly Example[],
  probs: Float32Array[],
  classes: string[],
  seed: number,
  uncalibrated: { method: string; before: string; probs: Float32Array[] } | null = null,
): Promise<{ report: ValidationAnalysis; predictions: SplitPredictions }> {
  const labels = validation.map((e) => e.label);
  const texts = validation.map((e) => e.text);
  const predicted = probs.map(argmax);
  const report: ValidationAnalysis = {
    ...evaluationReport('validation', labels, probs, classes, seed),
    confusedPairs: mostConfusedPairs(texts, labels, probs, classes, { top: 6, examplesPerPair: 3 }),
    misclassified: misclassified(texts, labels, probs, classes, { limit: 25 }),
  };
  if (uncalibrated) report.calibration = { method: uncalibrated.method, before: uncalibrated.before, ...calibrationReport(uncalibrated.probs, probs, labels) };
  const predictions: SplitPredictions = {
    split: 'validation',
    idsHash: await idsHashOf(validation),
    labels,
    predicted,
    confidence: probs.map((p, i) => Math.round(p[predicted[i]] * 1e4) / 1e4),
  };
  return { report, predictions };
}

/** Throughput and batch-1 latency of a trained model on (a prefix of) the given texts. */
export async function measureEfficiency(model: Predictor, texts: string[]): Promise<Pick<Efficiency, 'textsPerSecond' | 'latencyP50Ms' | 'latencyP95Ms'>> {
  const sample = texts.slice(0, THROUGHPUT_TEXTS);
  if (sample.length === 0) return { textsPerSecond: NaN, latencyP50Ms: NaN, latencyP95Ms: NaN };
  const textsPerSecond = await measureThroughput(model, sample, { batchSize: 64 });
  const latency = await measureLatency(model, sample, { n: Math.min(LATENCY_CALLS, sample.length) });
  const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
  return { textsPerSecond: round(textsPerSecond, 1), latencyP50Ms: round(latency.p50, 3), latencyP95Ms: round(latency.p95, 3) };
}

/** A model scored on labelled examples (test split or a file): the report, plus its prediction speed on those texts. */
export async function scoreExamples(model: Predictor, split: EvalReport['split'], examples: readonly Pick<Example, 'text' | 'label'>[], classes: string[]) {
  const texts = examples.map((e) => e.text);
  const probs = await model.predictProba(texts);
  return {
    ...evaluationReport(
      split,
      examples.map((e) => e.label),
      probs,
      classes,
    ),
    efficiency: await measureEfficiency(model, texts),
  };
}

/** Keeps the highest value of a memory probe; sampling is throttled because probes are not free. */
export class PeakTracker {
  peak: number | undefined;
  private last = -Infinity;
  constructor(
    private readonly probe: (() => number | undefined) | undefined,
    private readonly everyMs = 200,
  ) {}

  sample(force = false): void {
    if (!this.probe) return;
    const now = performance.now();
    if (!force && now - this.last < this.everyMs) return;
    this.last = now;
    this.see(this.probe());
  }

  see(v: number | undefined): void {
    if (v !== undefined && Number.isFinite(v) && (this.peak === undefined || v > this.peak)) this.peak = v;
  }
}
