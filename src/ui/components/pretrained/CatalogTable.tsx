/** The curated encoders as a table: size, licence, and the estimates and the guard's verdict for this device. */
import type { PretrainedCatalog, PretrainedCatalogRow } from '../../../core/lab/api';
import { formatBytes } from '../../util/format';
import { durationText } from '../../util/progress';

const millions = (n?: number) => (n === undefined ? '–' : `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)}M`);

function Fits({ row }: { row: PretrainedCatalogRow }) {
  if (!row.refusals.length) return <span className="fits-yes">fits</span>;
  return (
    <details className="fits-no">
      <summary>refused ({row.refusals.map((r) => r.rule).join(', ')})</summary>
      <ul>
        {row.refusals.map((r, i) => (
          <li key={i}>
            {r.message}
            {r.saferAlternatives.length > 0 && <span className="muted"> Instead: {r.saferAlternatives.join('; ')}.</span>}
          </li>
        ))}
      </ul>
    </details>
  );
}

interface Props {
  catalog?: PretrainedCatalog;
  loading: boolean;
  chosen: string;
  disabled: boolean;
  onChoose: (hubId: string, pooling: 'cls' | 'mean') => void;
}

export function CatalogTable({ catalog, loading, chosen, disabled, onChoose }: Props) {
  const speed = catalog?.speed;
  return (
    <div className="table-wrap" data-testid="pretrained-catalog">
      <table className="catalog">
        <caption>
          {!catalog
            ? 'Measuring this device…'
            : `Estimates for ${catalog.settings.method}, batch ${catalog.settings.batchSize}, length ${catalog.settings.maxLength}, on ${catalog.data.train.toLocaleString('en-US')} training examples with the ${catalog.backend} backend` +
              (speed ? ` (measured ${(speed.flopsPerSecond / 1e9).toFixed(2)} GFLOP/s here)` : ` (speed ${catalog.speedNote ?? 'not measured'})`) +
              (loading ? ' · updating…' : '')}
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Architecture</th>
            <th scope="col">Parameters</th>
            <th scope="col">Download</th>
            <th scope="col">Licence</th>
            <th scope="col">Peak memory</th>
            <th scope="col">Time per epoch</th>
            <th scope="col">Here</th>
          </tr>
        </thead>
        <tbody>
          {catalog?.rows.map((r) => {
            const picked = chosen.replace(/@.*$/, '') === r.id.replace(/@.*$/, '');
            return (
              <tr key={r.id} className={picked ? 'selected' : undefined} data-testid="catalog-row">
                <td>
                  <label>
                    <input type="radio" name="pretrained-base" checked={picked} disabled={disabled} onChange={() => onChoose(r.id, r.pooling)} /> {r.name}
                  </label>
                  {!r.curated && <span className="muted small"> (your Hub id)</span>}
                  {r.note && <div className="muted small">{r.note}</div>}
                </td>
                <td>{r.architecture}</td>
                <td>{millions(r.parameters)}</td>
                <td>{r.downloadBytes === undefined ? '–' : formatBytes(r.downloadBytes)}</td>
                <td>{r.licence ?? 'see the model card'}</td>
                <td title={`${r.estimate.trainable.toLocaleString('en-US')} trainable parameters`}>
                  {formatBytes(r.estimate.peakBytes)}
                  {!r.exactShape && <span className="muted small"> (shape unknown: BERT-base assumed)</span>}
                </td>
                <td>{r.estimate.secondsPerEpoch === undefined ? '–' : durationText(r.estimate.secondsPerEpoch)}</td>
                <td>
                  <Fits row={r} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
