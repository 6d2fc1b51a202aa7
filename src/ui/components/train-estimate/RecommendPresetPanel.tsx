/**
 * "Recommend a preset" on the Train page: the Quota tab's recommendations for the Train page's
 * dataset and backend, with an optional memory limit, and "Use this preset" to pick one.
 */
import { useState } from 'react';
import type { DatasetMeta } from '../../../core/data/types';
import type { BackendChoice } from '../../../core/experiment/result';
import type { RecommendResult } from '../../../core/lab/quota-api';
import { lab } from '../../lab-client';
import { toShownError, type ShownError } from '../../util/errors';
import { ErrorAlert } from '../ErrorAlert';
import { RecommendPanel } from '../quota/RecommendPanel';
import type { LabWaits } from './lab-waits';

interface Props {
  datasets: DatasetMeta[];
  datasetId?: string;
  backend: BackendChoice;
  disabled: boolean;
  onUse: (preset: string) => void;
  waits: Pick<LabWaits, 'track'>;
}

export function RecommendPresetPanel({ datasets, datasetId, backend, disabled, onUse, waits }: Props) {
  const [result, setResult] = useState<RecommendResult>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError>();

  const onRecommend = async (id: string, budgetSeconds: number, memoryBytes?: number) => {
    const call = waits.track(() => lab().recommend({ datasetId: id, budgetSeconds, memoryBytes, backend }));
    if (!call) return;
    setBusy(true);
    setError(undefined);
    try {
      setResult(await call);
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="card train-recommend" data-testid="train-recommend">
      <summary>Recommend a preset</summary>
      <p className="muted small">
        The presets that fit a time budget (and, if given, a memory limit) on this device and backend, best expected accuracy first. The first time, each preset is timed on a few
        synthetic batches, which can take a minute or more.
      </p>
      {error && <ErrorAlert error={error} testId="train-recommend-error" onDismiss={() => setError(undefined)} />}
      <RecommendPanel
        datasets={datasets}
        datasetId={datasetId}
        onRecommend={onRecommend}
        result={result}
        busy={busy}
        withMemory
        onUse={onUse}
        useDisabled={disabled}
        testId="train-recommend-panel"
      />
    </details>
  );
}
