import type { RunSummary } from '../../core/lab/api';

const TEXT: Record<RunSummary['status'], string> = {
  running: 'running',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/** A run's status; "interrupted" means the tab closed or reloaded while it trained. */
export function StatusBadge({ status }: { status: RunSummary['status'] }) {
  return (
    <span
      className={`status status-${status}`}
      data-testid={status === 'interrupted' ? 'interrupted-badge' : 'status-badge'}
      title={status === 'interrupted' ? 'The page was closed or reloaded while this run trained.' : undefined}
    >
      {TEXT[status] ?? status}
    </span>
  );
}
