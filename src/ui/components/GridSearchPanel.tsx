/**
 * Hyper-parameter search for a model whose family fits in seconds (its spec's `gridSearch`): a small grid, each point fitted on train and
 * scored on the validation split only (the worker runs it in the 'search' phase, which the
 * test-set guard refuses), with progress and Cancel; the winner can replace the config.
 */
import { useState } from 'react';
import type { GridSearchOutcome, LabEvent } from '../../core/lab/api';
import { suggestedGrid } from '../../core/models/traits';
import { lab, listener } from '../lab-client';
import { isCancelled, toShownError, type ShownError } from '../util/errors';
import { pct, seconds } from '../util/format';
import { ErrorAlert } from './ErrorAlert';
import { ProgressBar } from './ProgressBar';

interface Props {
  datasetId?: string;
  config: unknown;
  disabled: boolean;
  onBusy: (busy: boolean) => void;
  onApply: (config: unknown) => void;
}

export function GridSearchPanel({ datasetId, config, disabled, onBusy, onApply }: Props) {
  const type = (config as { model?: { type?: string } })?.model?.type ?? '';
  const [gridText, setGridText] = useState<{ type: string; text: string }>();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [outcome, setOutcome] = useState<GridSearchOutcome>();
  const [error, setError] = useState<ShownError>();
  const [cancelled, setCancelled] = useState(false);
  // The family's first grid: the setting that matters most, around its default.
  const suggested = suggestedGrid(type);
  if (!suggested) return null;
  const text = gridText?.type === type ? gridText.text : JSON.stringify(suggested);

  const run = async () => {
    let grid: Record<string, unknown[]>;
    try {
      grid = JSON.parse(text) as Record<string, unknown[]>;
    } catch (e) {
      setError(toShownError({ name: 'ConfigError', message: `The grid is not valid JSON: ${(e as Error).message}` }));
      return;
    }
    setBusy(true);
    onBusy(true);
    setError(undefined);
    setOutcome(undefined);
    setCancelled(false);
    setProgress({ done: 0, total: 0 });
    try {
      const onEvent = (e: LabEvent) => {
        if (e.type === 'phase' && e.phase === 'grid-search') setProgress({ done: e.done, total: e.total });
      };
      setOutcome(await lab().gridSearch({ datasetId: datasetId!, config, grid }, listener(onEvent)));
    } catch (e) {
      if (isCancelled(e)) setCancelled(true);
      else setError(toShownError(e));
    } finally {
      setBusy(false);
      onBusy(false);
      setProgress(undefined);
    }
  };

  return (
    <details className="card grid-search" data-testid="grid-search">
      <summary>Search settings on the validation split</summary>
      <p className="muted small">Each grid point is fitted on the training split and scored on validation; the test split stays sealed.</p>
      <label className="grid-input">
        Grid (setting → values){' '}
        <input type="text" value={text} spellCheck={false} disabled={busy} onChange={(e) => setGridText({ type, text: e.target.value })} aria-label="Grid (JSON)" />
      </label>
      <div className="row">
        <button type="button" data-testid="grid-start" disabled={busy || disabled || !datasetId} onClick={() => void run()}>
          {busy ? 'Searching…' : 'Search'}
        </button>
        <button type="button" data-testid="grid-cancel" disabled={!busy} onClick={() => void lab().cancel()}>
          Cancel search
        </button>
      </div>
      {progress && <ProgressBar label="Grid points" done={progress.done} total={progress.total} testId="grid-progress" />}
      {cancelled && (
        <p className="muted small" data-testid="grid-cancelled">
          Search cancelled.
        </p>
      )}
      {error && <ErrorAlert error={error} testId="grid-error" onDismiss={() => setError(undefined)} />}
      {outcome && (
        <>
          <table className="small grid-results" data-testid="grid-results">
            <thead>
              <tr>
                <th scope="col">Settings</th>
                <th scope="col" className="num">
                  Val. accuracy
                </th>
                <th scope="col" className="num">
                  Val. macro-F1
                </th>
                <th scope="col" className="num">
                  Fit
                </th>
              </tr>
            </thead>
            <tbody>
              {outcome.results.map((r) => {
                const best = JSON.stringify(r.params) === JSON.stringify(outcome.best.params);
                return (
                  <tr key={JSON.stringify(r.params)} className={best ? 'better' : undefined} data-testid="grid-row">
                    <td>
                      <code>{JSON.stringify(r.params)}</code>
                      {best && ' ★'}
                    </td>
                    <td className="num">{pct(r.accuracy, 2)}</td>
                    <td className="num">{pct(r.macroF1, 2)}</td>
                    <td className="num">{seconds(r.fitSeconds)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button type="button" data-testid="grid-apply" onClick={() => onApply(outcome.bestConfig)}>
            Use the best settings
          </button>
        </>
      )}
    </details>
  );
}
