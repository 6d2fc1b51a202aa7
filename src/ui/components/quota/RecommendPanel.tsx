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
  onDataset: (id: string) => void;
  onRecommend: (datasetId: string, budgetSeconds: number) => Promise<void>;
  result?: RecommendResult;
  busy: boolean;
}

export function RecommendPanel({ datasets, datasetId, onDataset, onRecommend, result, busy }: Props) {
  const id = useId();
  const [minutes, setMinutes] = useState('10');
  const budget = Number(minutes) * 60;
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="quota-recommend">
      <h3 id={`${id}-h`}>What fits</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (datasetId && budget > 0) void onRecommend(datasetId, budget);
        }}
      >
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
        <label>
          Time budget{' '}
          <input type="number" min={0.1} step="any" value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-label="Time budget (minutes)" style={{ width: '6em' }} /> min
        </label>
        <button type="submit" className="primary" disabled={busy || !datasetId || !(budget > 0)} data-testid="recommend-button">
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
