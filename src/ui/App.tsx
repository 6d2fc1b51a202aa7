/** The lab's page: header, tabs, and the page of the open tab. */
import { useEffect } from 'react';
import { Header } from './components/Header';
import { Tabs } from './components/Tabs';
import { ComparePage } from './pages/ComparePage';
import { EnsemblePage } from './pages/EnsemblePage';
import { DataPage } from './pages/DataPage';
import { OverfittingPage } from './pages/OverfittingPage';
import { PredictPage } from './pages/PredictPage';
import { QuotaPage } from './pages/QuotaPage';
import { RunsPage } from './pages/RunsPage';
import { TrainPage } from './pages/TrainPage';
import { useLists } from './state/lists';
import { useTrain } from './state/train';
import { tabFromHash, useUi, type Tab } from './state/ui';
import { ErrorAlert } from './components/ErrorAlert';
import { ResumeBanner } from './components/ResumeBanner';

export function App() {
  const tab = useUi((s) => s.tab);
  const setTab = useUi((s) => s.setTab);
  const running = useTrain((s) => s.running);
  const listError = useLists((s) => s.error);

  // The hash and the tab follow each other (back/forward buttons, reloads, links).
  useEffect(() => {
    const onHash = () => {
      const t = tabFromHash(location.hash);
      if (t && t !== useUi.getState().tab) useUi.setState({ tab: t });
    };
    window.addEventListener('hashchange', onHash);
    if (tabFromHash(location.hash) !== tab) history.replaceState(null, '', `#${tab}`);
    return () => window.removeEventListener('hashchange', onHash);
  }, [tab]);

  // Everything lives in the worker's IndexedDB: fetch the lists once the page opens.
  useEffect(() => {
    const lists = useLists.getState();
    void lists.refreshDatasets();
    void lists.refreshRuns();
  }, []);

  return (
    <div className="app">
      <Header />
      <Tabs tab={tab} onChange={setTab} marks={running ? { train: '●' } : undefined} />
      {listError && <ErrorAlert error={listError} testId="storage-error" onDismiss={() => useLists.setState({ error: undefined })} />}
      <ResumeBanner />
      <main id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} className="panel">
        <Page tab={tab} />
      </main>
      <footer className="app-footer muted">Everything runs in this browser tab: data, runs and models stay in its storage.</footer>
    </div>
  );
}

function Page({ tab }: { tab: Tab }) {
  switch (tab) {
    case 'data':
      return <DataPage />;
    case 'train':
      return <TrainPage />;
    case 'runs':
      return <RunsPage />;
    case 'ensemble':
      return <EnsemblePage />;
    case 'compare':
      return <ComparePage />;
    case 'overfitting':
      return <OverfittingPage />;
    case 'predict':
      return <PredictPage />;
    case 'quota':
      return <QuotaPage />;
  }
}
