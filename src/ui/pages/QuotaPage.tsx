/**
 * The quota dashboard: what this device is (adapter, limits, memory, storage), the live run's
 * memory against its estimate, storage by kind and item with delete and persist, the compute
 * budgets with their history, and the presets that fit a time budget. While a run trains, the
 * storage and budget figures are re-read every few seconds and the memory curve follows it.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import type { BudgetStatus, DeviceProfile, RecommendResult, StorageItem, StorageReport } from '../../core/lab/quota-api';
import { ErrorAlert } from '../components/ErrorAlert';
import { BudgetPanel } from '../components/quota/BudgetPanel';
import { DeviceCard } from '../components/quota/DeviceCard';
import { MemoryChart } from '../components/quota/MemoryChart';
import { RecommendPanel } from '../components/quota/RecommendPanel';
import { StoragePanel } from '../components/quota/StoragePanel';
import { lab } from '../lab-client';
import { useLists } from '../state/lists';
import { useTrain } from '../state/train';
import { useUi } from '../state/ui';
import { toShownError, type ShownError } from '../util/errors';
import '../quota.css';

/** How often storage and budget use are re-read while a run trains (the ledger books time every half minute). */
const LIVE_POLL_MS = 3000;

// Chromium's performance.memory exists on the page's thread but not in its workers: the page's heap limit stands in.
const pageHeapLimit = () => (performance as Performance & { memory?: { jsHeapSizeLimit?: number } }).memory?.jsHeapSizeLimit;

export function QuotaPage() {
  const id = useId();
  const live = useTrain();
  const datasets = useLists((s) => s.datasets);
  const storageVersion = useLists((s) => s.storageVersion);
  const { trainDatasetId, set } = useUi();
  const [profile, setProfile] = useState<DeviceProfile>();
  const [storage, setStorage] = useState<StorageReport>();
  const [budget, setBudget] = useState<BudgetStatus>();
  const [estimate, setEstimate] = useState<{ runId: string; peakBytes?: number; problem?: string }>();
  const [recommendation, setRecommendation] = useState<RecommendResult>();
  const [recommending, setRecommending] = useState(false);
  const [persistAnswer, setPersistAnswer] = useState<boolean>();
  const [error, setError] = useState<ShownError>();
  const datasetId = datasets.some((d) => d.id === trainDatasetId) ? trainDatasetId : datasets[0]?.id;

  const act = useCallback(async (job: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await job();
    } catch (e) {
      setError(toShownError(e));
    }
  }, []);

  const refresh = useCallback(async () => {
    const [s, b] = await Promise.all([lab().storageReport(), lab().budgets()]);
    setStorage(s);
    setBudget(b);
  }, []);

  // Re-read when a run starts or ends, and once its backend is chosen: the backend it took, the storage it used.
  useEffect(() => {
    let alive = true;
    lab()
      .deviceProfile()
      .then((p) => alive && setProfile({ ...p, jsHeapLimitBytes: p.jsHeapLimitBytes ?? pageHeapLimit() }))
      .catch((e) => alive && setError(toShownError(e)));
    return () => {
      alive = false;
    };
  }, [live.running, live.backend?.backend]);

  useEffect(() => {
    void useLists.getState().refreshDatasets();
  }, []);

  useEffect(() => {
    void act(refresh);
    if (!live.running) return;
    const timer = setInterval(() => void refresh().catch(() => undefined), LIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [live.running, storageVersion, refresh, act]);

  // The live run's estimated peak, for the memory chart's dashed line (read once per run). Only
  // a tensor run has a memory curve; and asking while it runs never measures (the run holds the machine).
  const runId = live.runId;
  const tensorRun = live.running && live.backend !== undefined && !live.backend.plainTypeScript;
  useEffect(() => {
    if (!runId || !tensorRun || estimate?.runId === runId) return;
    let alive = true;
    (async () => {
      const run = await lab().getRun(runId);
      const e = await lab().estimate({ datasetId: run.datasetId, config: run.config, backend: live.backend?.backend });
      if (alive) setEstimate({ runId, peakBytes: e.peakBytes });
    })().catch((e) => alive && setEstimate({ runId, problem: toShownError(e).text }));
    return () => {
      alive = false;
    };
  }, [runId, tensorRun, estimate?.runId, live.backend?.backend]);

  const onDelete = (items: StorageItem[]) =>
    act(async () => {
      for (const item of items) setStorage(await lab().deleteStorageItem(item.kind, item.id));
      const lists = useLists.getState();
      await Promise.all([lists.refreshDatasets(), lists.refreshRuns()]);
      lists.storageChanged();
    });
  // persist() exists on the page's thread only: asked here, and the worker's store reports it elsewhere.
  const onPersist = () =>
    act(async () => {
      setPersistAnswer((await (navigator.storage?.persist ? navigator.storage.persist() : lab().requestPersist())) ?? false);
      await refresh();
    });
  const liveSeconds = live.running && live.status ? (live.status.at - live.status.firstAt) / 1000 : undefined;

  return (
    <section className="page quota" aria-labelledby={`${id}-h`} data-testid="quota-page">
      <h2 id={`${id}-h`}>Quota</h2>
      {error && <ErrorAlert error={error} testId="quota-error" onDismiss={() => setError(undefined)} />}
      <div className="two-col">
        <DeviceCard profile={profile} />
        <div>
          <MemoryChart
            steps={live.steps.items}
            running={live.running}
            backend={live.backend?.backend}
            estimateBytes={estimate?.runId === runId ? estimate?.peakBytes : undefined}
            estimateProblem={estimate?.runId === runId ? estimate?.problem : undefined}
          />
        </div>
      </div>
      <div className="two-col">
        {storage ? <StoragePanel report={storage} onDelete={onDelete} onPersist={onPersist} persistAnswer={persistAnswer} /> : <p className="muted">Counting what is stored…</p>}
        {budget && <BudgetPanel status={budget} liveSeconds={liveSeconds} onSave={(b) => act(async () => setBudget(await lab().setBudgets(b)))} />}
      </div>
      <RecommendPanel
        datasets={datasets}
        datasetId={datasetId}
        onDataset={(d) => set({ trainDatasetId: d })}
        result={recommendation}
        busy={recommending}
        onRecommend={(d, budgetSeconds) =>
          act(async () => {
            setRecommending(true);
            try {
              setRecommendation(await lab().recommend({ datasetId: d, budgetSeconds }));
            } finally {
              setRecommending(false);
            }
          })
        }
      />
    </section>
  );
}
