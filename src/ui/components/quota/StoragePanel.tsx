/**
 * Storage by kind (bars against the quota) and by item (a sortable table with delete), a
 * "free N MB" planner that picks what to delete (cached base models first, oldest first), and
 * whether the origin's storage is persisted, with the button that asks the browser to keep it.
 */
import { useId, useMemo, useState } from 'react';
import type { StorageItem, StorageKind, StorageReport } from '../../../core/lab/quota-api';
import { ConfirmButton } from '../ConfirmButton';
import { dateTime, formatBytes } from '../../util/format';
import { planFree, sortItems, type SortKey } from './free-plan';

const KINDS: [StorageKind, string][] = [
  ['dataset', 'Datasets'],
  ['run', 'Runs'],
  ['checkpoint', 'Checkpoints'],
  ['base-model', 'Cached base models'],
  ['other', 'Other'],
];
const KIND_LABEL = Object.fromEntries(KINDS) as Record<StorageKind, string>;
const MB = 2 ** 20;

interface Props {
  report: StorageReport;
  onDelete: (items: StorageItem[]) => Promise<void>;
  onPersist: () => Promise<void>;
  /** The browser's answer to the last persist request, if one was made. */
  persistAnswer?: boolean;
}

export function StoragePanel({ report, onDelete, onPersist, persistAnswer }: Props) {
  const id = useId();
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: 'bytes', asc: false });
  const [wantMb, setWantMb] = useState('');
  const items = useMemo(() => sortItems(report.items, sort.key, sort.asc), [report.items, sort]);
  const counted = KINDS.reduce((n, [k]) => n + (report.byKind[k] ?? 0), 0);
  // Bars share the largest kind's length: against a quota of gigabytes every kind would be a sliver.
  const scale = Math.max(1, ...KINDS.map(([k]) => report.byKind[k] ?? 0));
  const want = Number(wantMb);
  const plan = wantMb && want > 0 ? planFree(report.items, want * MB) : undefined;
  const header = (key: SortKey, label: string, num = false) => (
    <th className={num ? 'num' : undefined} aria-sort={sort.key === key ? (sort.asc ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="link" onClick={() => setSort((s) => ({ key, asc: s.key === key ? !s.asc : key === 'label' || key === 'kind' }))}>
        {label}
        {sort.key === key ? (sort.asc ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );

  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid="quota-storage">
      <div className="row spread">
        <h3 id={`${id}-h`}>Storage</h3>
        <p className="small" data-testid="quota-persisted">
          {report.persisted === true ? (
            <span className="quota-tag quota-tag-ok">persisted: the browser keeps it under storage pressure</span>
          ) : (
            <>
              <span className="quota-tag quota-tag-warn">{report.persisted === false ? 'not persisted: the browser may evict it' : 'persistence unknown'}</span>{' '}
              <button type="button" onClick={() => void onPersist()} data-testid="quota-persist">
                Keep data (persist)
              </button>
            </>
          )}
          {persistAnswer !== undefined && (
            <span className="muted" data-testid="quota-persist-answer">
              {' '}
              The browser {persistAnswer ? 'granted' : 'declined'} persistence{persistAnswer ? '.' : ' (it grants it to sites you use often or bookmark).'}
            </span>
          )}
        </p>
      </div>
      <p className="small">
        {report.usage !== undefined ? `${formatBytes(report.usage)} used` : `${formatBytes(counted)} counted`}
        {report.quota !== undefined && ` of ${formatBytes(report.quota)} allowed for this site`}
        {report.quota ? ` (${(((report.usage ?? counted) / report.quota) * 100).toFixed(report.usage && report.usage / report.quota < 0.01 ? 3 : 1)}%)` : ''}
      </p>
      <ul className="quota-bars" data-testid="quota-kinds">
        {KINDS.map(([kind, label]) => (
          <li key={kind} data-kind={kind}>
            <span className="quota-bar-label">{label}</span>
            <span className="quota-bar-track" aria-hidden="true">
              <span className={`quota-bar-fill quota-kind-${kind}`} style={{ width: `${((report.byKind[kind] ?? 0) / scale) * 100}%` }} />
            </span>
            <span className="quota-bar-value">{formatBytes(report.byKind[kind] ?? 0)}</span>
          </li>
        ))}
      </ul>
      <form
        className="row quota-free"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <label>
          Free <input type="number" min={1} step={1} value={wantMb} onChange={(e) => setWantMb(e.target.value)} aria-label="Megabytes to free" style={{ width: '7em' }} /> MB
        </label>
        {plan && plan.items.length > 0 && (
          <>
            <span className="small" data-testid="quota-free-plan">
              by deleting {plan.items.map((i) => `${KIND_LABEL[i.kind].toLowerCase().replace(/s$/, '')} ${i.label}`).join(', ')} ({formatBytes(plan.bytes)})
              {!plan.enough && ' — all that can be deleted, less than asked'}
            </span>
            <ConfirmButton label={`Free ${formatBytes(plan.bytes)}`} confirmLabel="Delete them" onConfirm={() => onDelete(plan.items)} />
          </>
        )}
        {plan && plan.items.length === 0 && <span className="muted small">Nothing can be deleted now.</span>}
      </form>
      <div className="table-wrap">
        <table data-testid="quota-items">
          <thead>
            <tr>
              {header('label', 'Item')}
              {header('kind', 'Kind')}
              {header('bytes', 'Size', true)}
              {header('lastUsed', 'Last used')}
              <th />
            </tr>
          </thead>
          <tbody>
            {items.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  Nothing stored yet.
                </td>
              </tr>
            )}
            {items.map((i) => (
              <tr key={`${i.kind}:${i.id}`} data-testid="quota-item" data-kind={i.kind}>
                <td title={i.id}>{i.label}</td>
                <td>{KIND_LABEL[i.kind]}</td>
                <td className="num">
                  <span className="quota-inline-bar" style={{ width: `${Math.max(2, (i.bytes / Math.max(counted, 1)) * 80)}px` }} aria-hidden="true" /> {formatBytes(i.bytes)}
                </td>
                <td>{i.lastUsed ? dateTime(i.lastUsed) : '–'}</td>
                <td>
                  {i.deletable ? (
                    <ConfirmButton label="Delete" ariaLabel={`Delete ${i.label}`} onConfirm={() => onDelete([i])} />
                  ) : (
                    <span className="muted small" title="Not offered for deletion: in use by the running job, or a finished run's own model (delete the run instead)">
                      kept
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
