/**
 * The columns of the per-run table. A column that has a "better" direction gets its best
 * value highlighted; descriptive columns (model, backend, seed) have none.
 */
import type { ReactNode } from 'react';
import type { CompareEntry } from '../../../core/experiment/compare';
import type { Interval } from '../../../core/eval/bootstrap';
import { ciText, msText, valAccuracy, valMacroF1 } from '../../util/compare';
import { formatBytes, int, num, pct, seconds } from '../../util/format';

export interface Column {
  key: string;
  label: string;
  /** Shown in the header's title: what the figure is, where it comes from. */
  help?: string;
  numeric?: boolean;
  cell: (e: CompareEntry) => ReactNode;
  better?: { of: (e: CompareEntry) => number | undefined; higher: boolean };
}

/** A value with its bootstrap interval under it, so columns stay narrow. */
function withCi(value: string, ci: Interval | undefined, percent: boolean): ReactNode {
  const text = ciText(ci, percent);
  return (
    <>
      {value}
      {text && <span className="compare-ci">{text}</span>}
    </>
  );
}

export const COLUMNS: Column[] = [
  { key: 'model', label: 'Model', cell: (e) => e.result.model },
  { key: 'family', label: 'Family', cell: (e) => e.result.family },
  { key: 'backend', label: 'Backend', cell: (e) => e.result.backend },
  { key: 'seed', label: 'Seed', numeric: true, cell: (e) => String(e.result.seed) },
  {
    key: 'valAcc',
    label: 'Val. accuracy',
    help: 'Validation accuracy with its bootstrap 95% interval',
    numeric: true,
    cell: (e) => withCi(pct(valAccuracy(e), 2), e.validation?.ci95, true),
    better: { of: valAccuracy, higher: true },
  },
  {
    key: 'valF1',
    label: 'Val. macro-F1',
    help: 'Validation macro-averaged F1 with its bootstrap 95% interval',
    numeric: true,
    cell: (e) => withCi(pct(valMacroF1(e), 2), e.validation?.ciMacroF1, true),
    better: { of: valMacroF1, higher: true },
  },
  {
    key: 'ece',
    label: 'ECE',
    help: 'Expected calibration error (15 equal-width bins); lower is better calibrated',
    numeric: true,
    cell: (e) => withCi(num(e.validation?.ece, 3), e.validation?.ciEce, false),
    better: { of: (e) => e.validation?.ece, higher: false },
  },
  {
    key: 'logLoss',
    label: 'Log loss',
    help: 'Validation cross-entropy of the predicted probabilities',
    numeric: true,
    cell: (e) => withCi(num(e.validation?.logLoss ?? e.result.validation?.loss, 3), e.validation?.ciLogLoss, false),
    better: { of: (e) => e.validation?.logLoss ?? e.result.validation?.loss, higher: false },
  },
  {
    key: 'testAcc',
    label: 'Test accuracy',
    help: 'Latest guarded test evaluation, when the run has one',
    numeric: true,
    cell: (e) => (e.test ? withCi(pct(e.test.accuracy, 2), e.test.ci95, true) : '–'),
    better: { of: (e) => e.test?.accuracy, higher: true },
  },
  {
    key: 'train',
    label: 'Train time',
    numeric: true,
    cell: (e) => seconds(e.result.timings?.trainSeconds),
    better: { of: (e) => e.result.timings?.trainSeconds, higher: false },
  },
  {
    key: 'tps',
    label: 'Texts/s',
    help: 'Prediction throughput, batches of 64',
    numeric: true,
    cell: (e) => int(e.result.efficiency?.textsPerSecond),
    better: { of: (e) => e.result.efficiency?.textsPerSecond, higher: true },
  },
  {
    key: 'p50',
    label: 'Latency p50',
    help: 'Median time to classify one text',
    numeric: true,
    cell: (e) => msText(e.result.efficiency?.latencyP50Ms),
    better: { of: (e) => e.result.efficiency?.latencyP50Ms, higher: false },
  },
  {
    key: 'p95',
    label: 'Latency p95',
    numeric: true,
    cell: (e) => msText(e.result.efficiency?.latencyP95Ms),
    better: { of: (e) => e.result.efficiency?.latencyP95Ms, higher: false },
  },
  {
    key: 'params',
    label: 'Params',
    numeric: true,
    cell: (e) => int(e.result.parameters),
    better: { of: (e) => e.result.parameters, higher: false },
  },
  {
    key: 'size',
    label: 'Size',
    numeric: true,
    cell: (e) => formatBytes(e.result.modelBytes),
    better: { of: (e) => e.result.modelBytes, higher: false },
  },
  {
    key: 'heap',
    label: 'Peak heap',
    help: 'Highest JS heap seen during the run, when the browser reports it',
    numeric: true,
    cell: (e) => formatBytes(e.result.efficiency?.peakHeapBytes),
    better: { of: (e) => e.result.efficiency?.peakHeapBytes, higher: false },
  },
  {
    key: 'tensors',
    label: 'Peak tensors',
    help: 'Highest tensor memory during training (tensor models only)',
    numeric: true,
    cell: (e) => formatBytes(e.result.efficiency?.peakTensorBytes),
    better: { of: (e) => e.result.efficiency?.peakTensorBytes, higher: false },
  },
];
