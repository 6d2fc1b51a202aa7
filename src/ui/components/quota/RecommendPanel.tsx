/**
 * What to train on this device within a time budget: the presets that fit, best expected
 * accuracy first (figures from the product's own measured runs, stated as such), with their
 * estimates, and why the others do not fit.
 */
import { useId, useState } from 'react';
import type { DatasetMeta } from '../../../core/data/types';
import type { RecommendResult } from '../../../core/lab/quota-api';
import { formatBytes, pct, seconds } from '../../util/format';

interface Props {
  datasets: DatasetMeta[];
  datasetId?: string;
  /** Absent: the dataset is chosen elsewhere on the page (the Train page's picker), and no selector is shown. */
  onDataset?: (id: string) => void;
  onRecommend: (datasetId: string, budgetSeconds: number, memoryBytes?: number) => Promise<void>;
  result?: RecommendResult;
  busy: boolean;
  /** Offers an optional memory limit (MB) beside the time budget. */
  withMemory?: boolean;
  /** A "Use this preset" button on each recommendation. */
  onUse?: (preset: string) => void;
  useDisabled?: boolean;
  testId?: string;
}

export function RecommendPanel({ datasets, datasetId, onDataset, onRecommend, result, busy, withMemory, onUse, useDisabled, testId = 'quota-recommend' }: Props) {
  const id = useId();
  const [minutes, setMinutes] = useState('10');
  const [memoryMb, setMemoryMb] = useState('');
  const budget = Number(minutes) * 60;
  const memoryBytes = withMemory && memoryMb.trim() !== '' ? Number(memoryMb) * 2 ** 20 : undefined;
  const memoryOk = memoryBytes === undefined || memoryBytes > 0;
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid={testId}>
      <h3 id={`${id}-h`}>What fits</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (datasetId && budget > 0 && memoryOk) void onRecommend(datasetId, budget, memoryBytes);
        }}
      >
        {onDataset && (
          <label>
            Dataset{' '}
            <select value={datasetId ?? ''} onChange={(e) => onDataset(e.target.value)} aria-label="Dataset to recommend for" disabled={datasets.length === 0}>
              {datasets.length === 0 && <option value="">Import a dataset first</option>}
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Time budget{' '}
          <input type="number" min={0.1} step="any" value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-label="Time budget (minutes)" style={{ width: '6em' }} /> min
        </label>
        {withMemory && (
          <label>
            Memory at most{' '}
            <input
              type="number"
              min={1}
              step="any"
              value={memoryMb}
              placeholder="any"
              onChange={(e) => setMemoryMb(e.target.value)}
              aria-label="Memory limit (MB, optional)"
              aria-invalid={!memoryOk}
              style={{ width: '7em' }}
            />{' '}
            MB
          </label>
        )}
        <button type="submit" className="primary" disabled={busy || !datasetId || !(budget > 0) || !memoryOk} data-testid="recommend-button">
          {busy ? 'Estimating…' : 'Recommend'}
        </button>
      </form>
      {result && (
        <>
          {result.recommendations.length === 0 ? (
            <p className="muted" data-testid="recommend-none">
              No preset fits this budget on this device: see why below.
            </p>
          ) : (
            <div className="table-wrap">
              <table data-testid="recommend-table">
                <thead>
                  <tr>
                    <th>Preset</th>
                    <th className="num">Expected accuracy</th>
                    <th className="num">Time</th>
                    <th className="num">Peak memory</th>
                    <th className="num">Checkpoint</th>
                    <th>Why</th>
                    {onUse && <th />}
                  </tr>
                </thead>
                <tbody>
                  {result.recommendations.map((r) => (
                    <tr key={r.preset} data-testid="recommendation">
                      <td>
                        <code>{r.preset}</code>
                      </td>
                      <td className="num" title={r.expectedAccuracy?.source}>
                        {r.expectedAccuracy ? pct(r.expectedAccuracy.value) : '–'}
                      </td>
                      <td className="num">{seconds(r.estimate.seconds)}</td>
                      <td className="num">{formatBytes(r.estimate.peakBytes)}</td>
                      <td className="num">{formatBytes(r.estimate.checkpointBytes)}</td>
                      <td className="small">{r.why}</td>
                      {onUse && (
                        <td>
                          <button type="button" disabled={useDisabled} onClick={() => onUse(r.preset)} data-testid="recommend-use">
                            Use this preset
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="small muted">Expected accuracy: this product&apos;s own measured runs on AG News (hover for the source), not a promise for other data.</p>
            </div>
          )}
          {result.rejected.length > 0 && (
            <details className="small" data-testid="recommend-rejected">
              <summary>{result.rejected.length} presets do not fit</summary>
              <ul>
                {result.rejected.map((r) => (
                  <li key={r.preset}>
                    <code>{r.preset}</code>: {r.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}
