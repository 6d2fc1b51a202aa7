/**
 * Offers to continue a run that stopped without finishing (the tab was closed, the worker
 * died, or it was cancelled) when it has a checkpoint to continue from.
 */
import { useLists } from '../state/lists';
import { useTrain } from '../state/train';
import { useUi } from '../state/ui';
import { dateTime } from '../util/format';

export function ResumeBanner() {
  const runs = useLists((s) => s.runs);
  const running = useTrain((s) => s.running);
  const resume = useTrain((s) => s.resume);
  const setTab = useUi((s) => s.setTab);
  const stopped = runs.filter((r) => r.resumable && r.status === 'interrupted');
  if (running || stopped.length === 0) return null;
  const r = stopped[0];
  return (
    <div className="card banner" role="status" data-testid="resume-banner">
      <span>
        Training run <strong>{r.configName}</strong> ({r.model}, started {dateTime(r.createdAt)}) was interrupted. Its last checkpoint is saved.
      </span>
      <button
        type="button"
        className="primary"
        data-testid="resume-run"
        onClick={() => {
          setTab('train');
          void resume(r.runId);
        }}
      >
        Resume
      </button>
    </div>
  );
}
