/**
 * Compare: "is model A really better than model B, and at what cost?" across any finished
 * runs. The worker computes everything (intervals, tests, seed statistics) from the stored run
 * folders; this page only lays it out. The selection is shared with the Runs page.
 */
import { useEffect, useId, useMemo } from 'react';
import { CompareCurves } from '../components/compare/CompareCurves';
import { CompareTable } from '../components/compare/CompareTable';
import { ConfusionMatrices } from '../components/compare/ConfusionMatrices';
import { CostScatter } from '../components/compare/CostScatter';
import { DownloadResults } from '../components/compare/DownloadResults';
import { F1Bars } from '../components/compare/F1Bars';
import { PairsTable } from '../components/compare/PairsTable';
import { ReliabilityDiagrams } from '../components/compare/ReliabilityDiagrams';
import { RunPicker } from '../components/compare/RunPicker';
import { SeedStudyView } from '../components/compare/SeedStudyView';
import { useComparison } from '../components/compare/useComparison';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLists } from '../state/lists';
import { useUi } from '../state/ui';
import { runLabels, type RunLabel } from '../util/compare';
import { PALETTE } from '../util/series';
import '../compare.css';

export function ComparePage() {
  const id = useId();
  const runs = useLists((s) => s.runs);
  const loaded = useLists((s) => s.runsLoaded);
  const compareIds = useUi((s) => s.compareIds);
  const toggleCompare = useUi((s) => s.toggleCompare);
  const set = useUi((s) => s.set);

  useEffect(() => {
    void useLists.getState().refreshRuns();
  }, []);

  // Only finished runs can be compared; a ticked running run joins once it is done.
  const key = compareIds.filter((c) => runs.some((r) => r.runId === c && r.status === 'done')).join('|');
  const picked = useMemo(() => (key ? key.split('|') : []), [key]);
  const { comparison, error, loading } = useComparison(picked);
  const labels = useMemo(() => (comparison ? runLabels(comparison.runs, PALETTE) : new Map<string, RunLabel>()), [comparison]);
  const shownIds = useMemo(() => comparison?.runs.map((r) => r.runId) ?? [], [comparison]);

  return (
    <section className="page compare-page" aria-labelledby={`${id}-h`} data-testid="compare-page" aria-busy={loading}>
      <div className="row spread">
        <h2 id={`${id}-h`}>Compare runs</h2>
        <DownloadResults runIds={picked} />
      </div>
      {!loaded ? <p className="muted">Loading…</p> : <RunPicker runs={runs} selected={compareIds} onToggle={toggleCompare} onSelect={(ids) => set({ compareIds: ids })} />}
      {error && <ErrorAlert error={error} testId="compare-error" />}
      {loading && (
        <p className="muted" role="status">
          Comparing…
        </p>
      )}
      {picked.length > 0 && comparison && !error && (
        <div className="compare-results">
          <CompareTable entries={comparison.runs} labels={labels} />
          <PairsTable comparison={comparison} labels={labels} />
          <section className="charts" aria-label="Per-class F1 and cost">
            <F1Bars entries={comparison.runs} labels={labels} />
            <CostScatter entries={comparison.runs} labels={labels} />
          </section>
          <ConfusionMatrices entries={comparison.runs} labels={labels} />
          <ReliabilityDiagrams entries={comparison.runs} labels={labels} />
          <SeedStudyView comparison={comparison} />
          <CompareCurves runIds={shownIds} labels={labels} />
        </div>
      )}
    </section>
  );
}
