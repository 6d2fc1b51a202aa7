/**
 * The estimate of the Train page's dataset + config + backend, asked again (debounced) whenever
 * any of them changes, with the compute budget left beside it. Paused while a job holds the
 * machine (a run, a search, the pretrained catalog's timing): an estimate's first measurement
 * would be refused beside it. Calls go one after another, so a slow first measurement is never
 * raced by the next config's.
 */
import { useEffect, useRef, useState } from 'react';
import type { BackendChoice } from '../../../core/experiment/result';
import type { RunEstimate } from '../../../core/lab/quota-api';
import { lab } from '../../lab-client';
import { useTrain } from '../../state/train';
import { toShownError, type ShownError } from '../../util/errors';
import type { LabWaits } from './lab-waits';

export const ESTIMATE_DEBOUNCE_MS = 500;

export interface EstimateState {
  estimate?: RunEstimate;
  /** Seconds of compute budget a run starting now may use; undefined = no limit. */
  leftSeconds?: number;
  loading: boolean;
  error?: ShownError;
  /** The estimate on show is for an earlier config than the one now selected. */
  stale: boolean;
}

interface Request {
  datasetId?: string;
  config?: unknown;
  backend: BackendChoice;
  /** A job holds the machine: ask once it is over. */
  paused: boolean;
  waits: Pick<LabWaits, 'track' | 'held'>;
}

export function useEstimate({ datasetId, config, backend, paused, waits }: Request): EstimateState {
  const [state, setState] = useState<{ key?: string; estimate?: RunEstimate; leftSeconds?: number; error?: ShownError; loading: boolean }>({ loading: false });
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  const key = config === undefined || !datasetId ? undefined : JSON.stringify({ datasetId, config, backend });
  const { track, held } = waits;

  useEffect(() => {
    if (!key || paused) return;
    let live = true;
    const timer = setTimeout(() => {
      const ask = () => {
        // A run that began since this was asked holds the machine (Start holds new calls back until it has).
        if (!live || held() || useTrain.getState().running) return Promise.resolve();
        setState((s) => ({ ...s, loading: true }));
        const call = track(() => Promise.all([lab().estimate(JSON.parse(key) as { datasetId: string; config: unknown; backend: BackendChoice }), lab().budgets()]));
        if (!call) return Promise.resolve();
        return call
          .then(([estimate, budgets]) => live && setState({ key, estimate, leftSeconds: budgets.leftSeconds, loading: false }))
          .catch((err: unknown) => live && setState((s) => ({ ...s, key, error: toShownError(err), estimate: undefined, loading: false })))
          .finally(() => !live && setState((s) => ({ ...s, loading: false })));
      };
      chain.current = chain.current.then(ask, ask);
    }, ESTIMATE_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, paused, track, held]);

  return { estimate: state.estimate, leftSeconds: state.leftSeconds, loading: state.loading, error: state.key === key ? state.error : undefined, stale: state.key !== key };
}
