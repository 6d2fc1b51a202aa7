/**
 * The Ensemble tab. The shell's tab state (state/ui) lists the other pages; this one is shown
 * on top of it while the hash says #ensemble, so links, reloads and back/forward work the
 * same way as for the others.
 */
import { create } from 'zustand';
import { TABS, useUi, type Tab } from '../../state/ui';

export const ENSEMBLE_TAB = 'ensemble';
export type PageTab = Tab | typeof ENSEMBLE_TAB;

/** Runs, then the ensembles built from them, then the rest. */
export const PAGE_TABS: readonly PageTab[] = [...TABS.slice(0, TABS.indexOf('runs') + 1), ENSEMBLE_TAB, ...TABS.slice(TABS.indexOf('runs') + 1)];

const hashIsEnsemble = (hash: string) => hash.replace(/^#\/?/, '').split('/')[0] === ENSEMBLE_TAB;

export const useEnsembleTab = create<{ shown: boolean }>(() => ({ shown: typeof location !== 'undefined' && hashIsEnsemble(location.hash) }));

/** Follows the hash (back/forward, typed links). */
export function syncEnsembleTab(hash: string): void {
  const shown = hashIsEnsemble(hash);
  if (useEnsembleTab.getState().shown !== shown) useEnsembleTab.setState({ shown });
}

export function openPageTab(tab: PageTab): void {
  if (tab === ENSEMBLE_TAB) {
    useEnsembleTab.setState({ shown: true });
    if (!hashIsEnsemble(location.hash)) location.hash = `#${ENSEMBLE_TAB}`;
    return;
  }
  useEnsembleTab.setState({ shown: false });
  // setTab writes the hash only when the tab changes: leaving #ensemble for the same tab needs it too.
  if (useUi.getState().tab === tab) location.hash = `#${tab}`;
  else useUi.getState().setTab(tab);
}

export const usePageTab = (): PageTab => {
  const tab = useUi((s) => s.tab);
  const shown = useEnsembleTab((s) => s.shown);
  return shown ? ENSEMBLE_TAB : tab;
};
