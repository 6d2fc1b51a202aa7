/**
 * Leakage between the splits, found at import: exact copies (same normalised text) and near
 * copies (MinHash, Jaccard of word shingles above the threshold), with examples. A test example
 * with a copy in train measures memory, not generalisation.
 */
import type { DatasetMeta } from '../../../core/data/types';
import type { LeakageReport } from '../../../core/guard/leakage';
import { int } from '../../util/format';

interface Props {
  report?: LeakageReport;
  meta: DatasetMeta;
}

export function LeakagePanel({ report, meta }: Props) {
  const dropped = meta.report;
  return (
    <section className="card leakage" data-testid="leakage-panel" aria-label="Leakage report">
      <h4>Leakage report</h4>
      <p className="small muted">
        At import, {int(dropped.trainTestOverlap)} training row{dropped.trainTestOverlap === 1 ? '' : 's'} identical to a test row and {int(dropped.duplicateRows)} duplicate
        training row{dropped.duplicateRows === 1 ? ' was' : 's were'} dropped. What remains, across the stored splits:
      </p>
      {!report ? (
        <p className="muted small">No leakage report is stored for this dataset (it was imported before the detector ran at import). Import it again to get one.</p>
      ) : (
        <>
          <table className="leak-counts" data-testid="leakage-counts">
            <thead>
              <tr>
                <th scope="col">Splits</th>
                <th scope="col" className="num">
                  Exact pairs
                </th>
                <th scope="col" className="num">
                  Near pairs (Jaccard ≥ {report.settings.threshold})
                </th>
                <th scope="col" className="num">
                  Examples affected
                </th>
              </tr>
            </thead>
            <tbody>
              {report.pairs.map((p) => (
                <tr key={p.pair} data-testid="leakage-pair" data-pair={p.pair}>
                  <th scope="row">{p.pair.replace('-', ' / ')}</th>
                  <td className="num">{int(p.exact)}</td>
                  <td className="num">{int(p.near)}</td>
                  <td className="num">{int(p.affected)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.skippedBuckets > 0 && <p className="warn-text small">{report.skippedBuckets} oversized similarity buckets were skipped: near counts may be low.</p>}
          {report.examples.length > 0 && (
            <details>
              <summary>{report.examples.length} examples</summary>
              <ul className="leak-examples small">
                {report.examples.map((e, i) => (
                  <li key={i}>
                    <strong>
                      {e.pair} · {e.kind} · {e.similarity.toFixed(2)}
                    </strong>
                    <div>
                      <span className="muted">{e.a.id}</span> {e.a.text}
                    </div>
                    <div>
                      <span className="muted">{e.b.id}</span> {e.b.text}
                    </div>
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
