/** One stored dataset: sizes, fingerprint, class balance, validation report, delete. */
import type { DatasetMeta } from '../../core/data/types';
import { ClassBalanceChart } from './ClassBalanceChart';
import { ConfirmButton } from './ConfirmButton';
import { DatasetGuardLine } from './DatasetGuardLine';
import { ReportSummary } from './ReportSummary';
import { dateTime, int, pct, shortFingerprint } from '../util/format';

interface Props {
  meta: DatasetMeta;
  onDelete: (id: string) => Promise<void>;
}

export function DatasetRow({ meta, onDelete }: Props) {
  const { sizes } = meta;
  return (
    <li className="card dataset-row" data-testid="dataset-row" aria-label={`Dataset ${meta.name}`}>
      <div className="dataset-head">
        <div>
          <h3 className="dataset-name">{meta.name}</h3>
          <p className="muted small">
            {meta.source} · {meta.classes.length} classes · imported {dateTime(meta.createdAt)}
          </p>
        </div>
        <ConfirmButton label="Delete" ariaLabel={`Delete dataset ${meta.name}`} onConfirm={() => onDelete(meta.id)} />
      </div>
      <div className="dataset-body">
        <div className="dataset-facts">
          <ul className="facts" data-testid="dataset-sizes">
            <li>
              Train: <strong>{int(sizes.train)}</strong>
            </li>
            <li>
              Validation: <strong>{int(sizes.validation)}</strong>
              {meta.validationFraction > 0 && <span className="muted"> ({pct(meta.validationFraction, 0)})</span>}
            </li>
            <li>
              Test: <strong>{int(sizes.test)}</strong>
            </li>
          </ul>
          <p className="small">
            Fingerprint:{' '}
            <code title={meta.fingerprint} data-testid="dataset-fingerprint">
              {shortFingerprint(meta.fingerprint)}
            </code>
          </p>
          <p className="small muted">Classes: {meta.classes.join(', ')}</p>
          <DatasetGuardLine datasetId={meta.id} hasTest={sizes.test > 0} />
          {meta.report && <ReportSummary report={meta.report} />}
        </div>
        {meta.report?.classCounts && <ClassBalanceChart classes={meta.classes} counts={meta.report.classCounts} />}
      </div>
    </li>
  );
}
