/**
 * Hyper-parameter search for any config on the Train page: a JSON space (the family's suggested
 * one to start), sampler, pruner, trial budget and which runs to keep. The worker trains each
 * trial as a run scored on the validation split (the guard's 'search' phase keeps the test split
 * sealed) and stops bad neural trials at epoch ends. Progress with time left, Cancel, the trials
 * as they finish, then the kept runs opened in Compare or the best settings put in the config.
 */
import { useState } from 'react';
import type { LabEvent } from '../../../core/lab/api';
import type { PrunerName, SamplerName, SearchOutcome, SearchTrialRecord } from '../../../core/lab/search-api';
import { suggestedSpace } from '../../../core/search/suggested';
import { lab, listener } from '../../lab-client';
import { useLists } from '../../state/lists';
import { useUi } from '../../state/ui';
import { isCancelled, toShownError, type ShownError } from '../../util/errors';
import { pct } from '../../util/format';
import { durationText } from '../../util/progress';
import { ErrorAlert } from '../ErrorAlert';
import { ProgressBar } from '../ProgressBar';
import { SearchTrialsTable } from './SearchTrialsTable';

interface Props {
  datasetId?: string;
  config: unknown;
  disabled: boolean;
  onBusy: (busy: boolean) => void;
  onApply: (config: unknown) => void;
}

const SAMPLER_LABELS: Record<SamplerName, string> = { tpe: 'TPE (Bayesian)', random: 'Random', grid: 'Grid (lists only)' };
const PRUNER_LABELS: Record<PrunerName, string> = { median: 'Median rule', halving: 'Successive halving', none: 'None' };

/** One setting per line: a space reads as a list of settings, not as a tree. */
const spaceJson = (space: Record<string, unknown>) =>
  `{\n${Object.entries(space)
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(',\n')}\n}`;

interface Live {
  done: number;
  total: number;
  secondsLeft?: number;
  best?: SearchTrialRecord;
  trials: SearchTrialRecord[];
  /** The running trial's training progress, for the inner bar. */
  phase?: { label: string; done: number; total: number };
}

export function SearchPanel({ datasetId, config, disabled, onBusy, onApply }: Props) {
  const type = (config as { model?: { type?: string } })?.model?.type ?? '';
  const suggested = suggestedSpace(config);
  const [spaceText, setSpaceText] = useState<{ type: string; text: string }>();
  const [sampler, setSampler] = useState<SamplerName>('tpe');
  const [pruner, setPruner] = useState<PrunerName>('median');
  const [trials, setTrials] = useState(12);
  const [keep, setKeep] = useState<'best' | 'all'>('best');
  const [busy, setBusy] = useState(false);
  const [live, setLive] = useState<Live>();
  const [outcome, setOutcome] = useState<SearchOutcome>();
  const [error, setError] = useState<ShownError>();
  const [cancelled, setCancelled] = useState(false);
  const setUi = useUi((s) => s.set);
  const setTab = useUi((s) => s.setTab);
  if (!suggested) return null;
  const text = spaceText?.type === type ? spaceText.text : spaceJson(suggested);

  const run = async () => {
    let space: unknown;
    try {
      space = JSON.parse(text);
    } catch (e) {
      setError(toShownError({ name: 'ConfigError', message: `The search space is not valid JSON: ${(e as Error).message}` }));
      return;
    }
    setBusy(true);
    onBusy(true);
    setError(undefined);
    setOutcome(undefined);
    setCancelled(false);
    setLive({ done: 0, total: trials, trials: [] });
    try {
      const onEvent = (e: LabEvent) => {
        if (e.type === 'search-trial')
          setLive((l) => ({
            done: e.done,
            total: e.total,
            secondsLeft: e.secondsLeft,
            best: e.best,
            trials: [...(l?.trials ?? []).filter((t) => t.number !== e.trial.number), e.trial],
          }));
        else if (e.type === 'step' && e.totalSteps)
          setLive((l) => l && { ...l, phase: { label: `Trial ${l.trials.length}: epoch ${e.epoch}`, done: e.step, total: e.totalSteps! } });
      };
      setOutcome(await lab().search({ datasetId: datasetId!, config, space, trials, sampler, pruner, keep }, listener(onEvent)));
    } catch (e) {
      if (isCancelled(e)) setCancelled(true);
      else setError(toShownError(e));
    } finally {
      setBusy(false);
      onBusy(false);
      setLive(undefined);
      void useLists.getState().refreshRuns();
    }
  };

  const openInCompare = (runIds: string[]) => {
    setUi({ compareIds: runIds });
    setTab('compare');
  };

  const shownTrials = outcome?.trials ?? live?.trials ?? [];
  return (
    <details className="card grid-search" data-testid="search-panel">
      <summary>Search any setting (TPE, random, grid) with early stopping</summary>
      <p className="muted small">
        Each trial trains this config with the trial&apos;s settings and is scored on the validation split; the test split stays sealed. Neural trials that fall behind at an epoch
        end are stopped. Ranges are <code>{'{ "low", "high", "log"?, "int"? }'}</code>, choices are lists; paths start at the config&apos;s root (<code>model.train.lr</code>).
      </p>
      <label className="grid-input">
        Space{' '}
        <textarea
          rows={Math.min(10, text.split('\n').length + 1)}
          value={text}
          spellCheck={false}
          disabled={busy}
          onChange={(e) => setSpaceText({ type, text: e.target.value })}
          aria-label="Search space (JSON)"
          data-testid="search-space"
        />
      </label>
      <div className="row">
        <label>
          Sampler{' '}
          <select value={sampler} disabled={busy} onChange={(e) => setSampler(e.target.value as SamplerName)} data-testid="search-sampler">
            {Object.entries(SAMPLER_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Early stopping{' '}
          <select value={pruner} disabled={busy} onChange={(e) => setPruner(e.target.value as PrunerName)} data-testid="search-pruner">
            {Object.entries(PRUNER_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Trials{' '}
          <input
            type="number"
            min={1}
            max={500}
            value={trials}
            disabled={busy}
            onChange={(e) => setTrials(Math.max(1, Math.floor(Number(e.target.value) || 1)))}
            data-testid="search-trials-budget"
          />
        </label>
        <label>
          Keep{' '}
          <select value={keep} disabled={busy} onChange={(e) => setKeep(e.target.value as 'best' | 'all')} data-testid="search-keep">
            <option value="best">the best run</option>
            <option value="all">every completed run</option>
          </select>
        </label>
      </div>
      <div className="row">
        <button type="button" data-testid="search-start" disabled={busy || disabled || !datasetId} onClick={() => void run()}>
          {busy ? 'Searching…' : 'Start search'}
        </button>
        <button type="button" data-testid="search-cancel" disabled={!busy} onClick={() => void lab().cancel()}>
          Cancel search
        </button>
      </div>
      {live && (
        <>
          <ProgressBar label="Trials" done={live.done} total={live.total} testId="search-progress" />
          <p className="muted small" data-testid="search-status">
            {live.done} of {live.total} trials done
            {live.best && ` · best so far ${pct(live.best.value, 2)} (trial ${live.best.number + 1})`}
            {live.secondsLeft !== undefined && ` · about ${durationText(live.secondsLeft)} left`}
          </p>
          {live.phase && <ProgressBar label={live.phase.label} done={live.phase.done} total={live.phase.total} />}
        </>
      )}
      {cancelled && (
        <p className="muted small" data-testid="search-cancelled">
          Search cancelled; its runs were removed.
        </p>
      )}
      {error && <ErrorAlert error={error} testId="search-error" onDismiss={() => setError(undefined)} />}
      {shownTrials.length > 0 && <SearchTrialsTable trials={shownTrials} bestNumber={(outcome?.best ?? live?.best)?.number} />}
      {outcome && (
        <div className="row" data-testid="search-outcome">
          <span className="small">
            Best: trial {outcome.best.number + 1}, {pct(outcome.best.value, 2)} on validation
            {outcome.stopped && ` (stopped early: ${outcome.stopped})`}.
          </span>
          <button type="button" data-testid="search-compare" onClick={() => openInCompare(outcome.kept)}>
            Open {outcome.kept.length === 1 ? 'the best run' : `the ${outcome.kept.length} kept runs`} in Compare
          </button>
          <button type="button" data-testid="search-apply" onClick={() => onApply(outcome.bestConfig)}>
            Use the best settings
          </button>
        </div>
      )}
    </details>
  );
}
