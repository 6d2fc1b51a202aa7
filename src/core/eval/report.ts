/** The evaluation record `agnews eval` prints (contract: split, n, accuracy, macroF1, perClass, ece, ci95). */
import { expectedCalibrationError } from '../models/classical/ece';
import { accuracyCI } from './bootstrap';
import { argmax, confusionMatrix, summarize } from './metrics';

export interface EvalReport {
  split: 'test' | 'file';
  n: number;
  accuracy: number;
  macroF1: number;
  logLoss: number;
  perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  ece: number;
  ci95: [number, number];
  confusion: number[][];
}

export function evaluationReport(split: EvalReport['split'], labels: number[], probs: Float32Array[], classes: string[], seed = 1): EvalReport {
  const s = summarize(labels, probs, classes.length);
  const pred = probs.map(argmax);
  const correct = labels.map((y, i) => (pred[i] === y ? 1 : 0));
  return {
    split,
    n: labels.length,
    accuracy: s.accuracy,
    macroF1: s.macroF1,
    logLoss: s.loss,
    perClass: Object.fromEntries(classes.map((c, i) => [c, s.perClass[i]])),
    ece: expectedCalibrationError(probs, labels),
    ci95: accuracyCI(correct, { seed }),
    confusion: confusionMatrix(labels, pred, classes.length),
  };
}
