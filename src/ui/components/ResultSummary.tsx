/** The headline numbers of a result record. */
import type { ResultRecord } from '../../core/experiment/result';
import { formatBytes, int, num, pct, seconds } from '../util/format';

interface Props {
  result: ResultRecord;
  testId?: string;
  title?: string;
}

export function ResultSummary({ result, testId, title = 'Result' }: Props) {
  return (
    <div className="card result" data-testid={testId}>
      <h3>{title}</h3>
      <dl className="result-grid">
        <dt>Validation accuracy</dt>
        <dd data-testid="result-accuracy">{pct(result.validation?.accuracy, 2)}</dd>
        <dt>Validation macro-F1</dt>
        <dd data-testid="result-macro-f1">{pct(result.validation?.macroF1, 2)}</dd>
        {result.validation?.loss !== undefined && (
          <>
            <dt>Validation loss</dt>
            <dd>{num(result.validation.loss, 4)}</dd>
          </>
        )}
        <dt>Train time</dt>
        <dd data-testid="result-train-seconds">{seconds(result.timings?.trainSeconds)}</dd>
        <dt>Total time</dt>
        <dd>{seconds(result.timings?.totalSeconds)}</dd>
        <dt>Model size</dt>
        <dd data-testid="result-model-bytes">{formatBytes(result.modelBytes)}</dd>
        <dt>Parameters</dt>
        <dd>{int(result.parameters)}</dd>
        <dt>Model</dt>
        <dd>
          {result.model} <span className="muted">({result.family})</span>
        </dd>
        <dt>Backend</dt>
        <dd>{result.backend}</dd>
        <dt>Epochs</dt>
        <dd>
          {int(result.epochs)}
          {result.stoppedEarly && <span className="muted"> — stopped early: {result.stoppedEarly}</span>}
        </dd>
        <dt>Data</dt>
        <dd>
          {int(result.data?.train)} train / {int(result.data?.validation)} validation
        </dd>
        {result.efficiency && (
          <>
            <dt>Prediction speed</dt>
            <dd data-testid="result-throughput">{int(result.efficiency.textsPerSecond)} texts/s</dd>
            <dt>Latency (1 text)</dt>
            <dd data-testid="result-latency">
              p50 {num(result.efficiency.latencyP50Ms, 2)} ms · p95 {num(result.efficiency.latencyP95Ms, 2)} ms
            </dd>
            <dt>Peak memory</dt>
            <dd>
              {result.efficiency.peakHeapBytes !== undefined ? `${formatBytes(result.efficiency.peakHeapBytes)} JS heap` : 'JS heap not reported by this browser'}
              {result.efficiency.peakTensorBytes !== undefined && ` · ${formatBytes(result.efficiency.peakTensorBytes)} tensors`}
            </dd>
          </>
        )}
      </dl>
    </div>
  );
}
