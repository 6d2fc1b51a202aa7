/**
 * Asks the worker to compare the picked runs. Answers arriving after the selection changed
 * are dropped, so a slow comparison can never overwrite a newer one.
 */
import { useEffect, useState } from 'react';
import type { Comparison } from '../../../core/experiment/compare';
import { lab } from '../../lab-client';
import { toShownError, type ShownError } from '../../util/errors';

export interface ComparisonState {
  comparison?: Comparison;
  error?: ShownError;
  loading: boolean;
}

export function useComparison(runIds: string[]): ComparisonState {
  const key = runIds.join('|');
  const [state, setState] = useState<ComparisonState & { key: string }>({ key: '', loading: false });
  useEffect(() => {
    if (!key) return;
    let alive = true;
    setState((s) => ({ ...s, key, loading: true }));
    lab()
      .compare(key.split('|'))
      .then(
        (comparison) => alive && setState({ key, comparison, loading: false }),
        (err: unknown) => alive && setState({ key, error: toShownError(err), loading: false }),
      );
    return () => {
      alive = false;
    };
  }, [key]);
  // Nothing picked: nothing to show, whatever the last answer was.
  if (!key) return { loading: false };
  // Keep showing the previous comparison while the next one loads (less flicker), but never an old error.
  return state.key === key ? state : { comparison: state.comparison, loading: true };
}
