/** Runs: the stored runs, one opened in detail; ticked runs go to the Compare page, picked members to the Ensemble page. */
import { useEffect, useId, useState } from 'react';
import type { RunDetail } from '../../core/lab/api';
import { useEnsembleUi, type BuildKind } from '../components/ensemble/state';
import { ErrorAlert } from '../components/ErrorAlert';
import { RunDetailView } from '../components/RunDetailView';
import { RunsTable } from '../components/RunsTable';
import { lab } from '../lab-client';
import { useLists } from '../state/lists';
import { useUi } from '../state/ui';
import { toShownError, type ShownError } from '../util/errors';

/** Fetches run details by id (from the worker), dropping ids that no longer exist. */
function useRunDetails(ids: string[], version: string): { details: Map<string, RunDetail>; error?: ShownError } {
  const [state, setState] = useState<{ details: Map<string, RunDetail>; error?: ShownError }>({ details: new Map() });
  const key = ids.join('|');
  useEffect(() => {
    let alive = true;
    const wanted = key ? key.split('|') : [];
    Promise.allSettled(wanted.map((id) => lab().getRun(id))).then((all) => {
      if (!alive) return;
      const details = new Map<string, RunDetail>();
      let error: ShownError | undefined;
      all.forEach((r, i) => {
        if (r.status === 'fulfilled') details.set(wanted[i], r.value);
        else if ((r.reason as { name?: string })?.name !== 'NotFoundError') error = toShownError(r.reason);
      });
      setState({ details, error });
    });
    return () => {
      alive = false;
    };
  }, [key, version]);
  return state;
}

export function RunsPage() {
  const id = useId();
  const runs = useLists((s) => s.runs);
  const loaded = useLists((s) => s.runsLoaded);
  const datasets = useLists((s) => s.datasets);
  const deleteRun = useLists((s) => s.deleteRun);
  const { openRunId, compareIds, set, toggleCompare } = useUi();
  const members = useEnsembleUi((s) => s.members);
  const toggleMember = useEnsembleUi((s) => s.toggleMember);

  useEffect(() => {
    const lists = useLists.getState();
    void lists.refreshRuns();
    void lists.refreshDatasets();
  }, []);

  // Forget selections of runs that are gone (deleted elsewhere, or storage cleared).
  useEffect(() => {
    if (!loaded) return;
    const ids = new Set(runs.map((r) => r.runId));
    if (openRunId && !ids.has(openRunId)) set({ openRunId: undefined });
    if (compareIds.some((c) => !ids.has(c))) set({ compareIds: compareIds.filter((c) => ids.has(c)) });
    if (members.some((m) => !ids.has(m))) useEnsembleUi.getState().set({ members: members.filter((m) => ids.has(m)) });
  }, [loaded, runs, openRunId, compareIds, set, members]);

  // Re-fetch details when a run's status changes (e.g. a running one finishes).
  const version = runs.map((r) => `${r.runId}:${r.status}`).join(',');
  const { details, error } = useRunDetails(openRunId ? [openRunId] : [], version);
  const open = openRunId ? details.get(openRunId) : undefined;
  // Only finished runs can be compared; a ticked run still training is counted once it is done.
  const comparable = compareIds.filter((c) => runs.some((r) => r.runId === c && r.status === 'done')).length;
  const buildable = members.filter((m) => runs.some((r) => r.runId === m && r.status === 'done')).length;
  const build = (kind: BuildKind) => {
    useEnsembleUi.getState().set({ kind });
    useUi.getState().setTab('ensemble');
  };

  return (
    <section className="page" aria-labelledby={`${id}-h`}>
      <div className="row spread">
        <h2 id={`${id}-h`}>Runs</h2>
        <button type="button" onClick={() => void useLists.getState().refreshRuns()}>
          Refresh
        </button>
      </div>
      {!loaded ? (
        <p className="muted">Loading…</p>
      ) : runs.length === 0 ? (
        <p className="muted" data-testid="no-runs">
          No runs yet: start one on the Train page.
        </p>
      ) : (
        <>
          <div className="row">
            <button type="button" className="primary" data-testid="compare-selected" disabled={comparable === 0} onClick={() => useUi.getState().setTab('compare')}>
              Compare selected ({comparable})
            </button>
            <span className="muted small">Tick finished runs to compare their accuracy, significance and cost.</span>
          </div>
          <div className="row">
            <button type="button" data-testid="build-ensemble" disabled={buildable < 2} onClick={() => build('ensemble')}>
              Build ensemble ({buildable})
            </button>
            <button type="button" data-testid="build-cascade" disabled={buildable < 2} onClick={() => build('cascade')}>
              Build cascade ({buildable})
            </button>
            <span className="muted small">Pick two or more finished runs as members; for a cascade pick the cheapest first and the strongest last.</span>
          </div>
          <RunsTable
            runs={runs}
            datasets={datasets}
            openRunId={openRunId}
            compareIds={compareIds}
            memberIds={members}
            onToggleMember={toggleMember}
            onOpen={(runId) => set({ openRunId: runId === openRunId ? undefined : runId })}
            onToggleCompare={toggleCompare}
            onDelete={async (runId) => {
              await deleteRun(runId);
              const ui = useUi.getState();
              if (ui.openRunId === runId) ui.set({ openRunId: undefined });
              if (ui.compareIds.includes(runId)) ui.set({ compareIds: ui.compareIds.filter((c) => c !== runId) });
              if (ui.predictRunId === runId) ui.set({ predictRunId: undefined });
              const ens = useEnsembleUi.getState();
              if (ens.members.includes(runId)) ens.toggleMember(runId);
            }}
          />
        </>
      )}
      {error && <ErrorAlert error={error} testId="run-load-error" />}
      {open && <RunDetailView run={open} onClose={() => set({ openRunId: undefined })} />}
    </section>
  );
}
