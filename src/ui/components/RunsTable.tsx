/** The stored runs: open one, tick some to compare, pick members for an ensemble or cascade, delete. */
import type { DatasetMeta } from '../../core/data/types';
import type { RunSummary } from '../../core/lab/api';
import { dateTime, pct } from '../util/format';
import { ConfirmButton } from './ConfirmButton';
import { StatusBadge } from './StatusBadge';

interface Props {
  runs: RunSummary[];
  datasets: DatasetMeta[];
  openRunId?: string;
  compareIds: string[];
  /** Ensemble members in the order they were picked (a cascade's order, cheapest first). */
  memberIds: string[];
  onOpen: (runId: string) => void;
  onToggleCompare: (runId: string) => void;
  onToggleMember: (runId: string) => void;
  onDelete: (runId: string) => Promise<void>;
}

export function RunsTable({ runs, datasets, openRunId, compareIds, memberIds, onOpen, onToggleCompare, onToggleMember, onDelete }: Props) {
  const datasetName = (id: string) => datasets.find((d) => d.id === id)?.name ?? id;
  return (
    <div className="table-wrap">
      <table className="runs">
        <thead>
          <tr>
            <th scope="col">Compare</th>
            <th scope="col" title="Members of an ensemble or cascade, numbered in the order picked">
              Member
            </th>
            <th scope="col">Config</th>
            <th scope="col">Model</th>
            <th scope="col">Dataset</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Val. accuracy
            </th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId} data-testid="run-row" data-run-id={r.runId} data-status={r.status} className={r.runId === openRunId ? 'selected' : undefined}>
              <td>
                <input type="checkbox" aria-label={`Compare run ${r.configName} ${r.runId}`} checked={compareIds.includes(r.runId)} onChange={() => onToggleCompare(r.runId)} />
              </td>
              <td className="member-pick">
                {/* Only finished runs have the validation predictions an ensemble combines. */}
                <input
                  type="checkbox"
                  aria-label={`Ensemble member ${r.configName} ${r.runId}`}
                  checked={memberIds.includes(r.runId)}
                  disabled={r.status !== 'done' && !memberIds.includes(r.runId)}
                  onChange={() => onToggleMember(r.runId)}
                />
                {memberIds.includes(r.runId) && <span className="small muted"> {memberIds.indexOf(r.runId) + 1}</span>}
              </td>
              <td>{r.configName}</td>
              <td>{r.model}</td>
              <td>{datasetName(r.datasetId)}</td>
              <td>
                <StatusBadge status={r.status} />
              </td>
              <td className="num">{pct(r.result?.validation?.accuracy, 2)}</td>
              <td className="small">{dateTime(r.createdAt)}</td>
              <td className="actions">
                <button
                  type="button"
                  onClick={() => onOpen(r.runId)}
                  aria-label={`${r.runId === openRunId ? 'Close' : 'Open'} run ${r.configName} ${r.runId}`}
                  aria-expanded={r.runId === openRunId}
                >
                  {r.runId === openRunId ? 'Close' : 'Open'}
                </button>
                <ConfirmButton label="Delete" ariaLabel={`Delete run ${r.configName} ${r.runId}`} disabled={r.status === 'running'} onConfirm={() => onDelete(r.runId)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
