/**
 * "Continue pretraining (MLM)" on the pretrained panel: domain-adaptive pretraining of the chosen
 * Hub encoder on the picked dataset's train texts (the lab's pretrain), with progress, time left
 * and cancel. The result is a Hugging Face folder in this browser's store, under the name given.
 */
import { useId, useState } from 'react';
import type { BackendChoice } from '../../../core/experiment/result';
import type { PretrainRecord } from '../../../core/lab/api';
import { lab, listener } from '../../lab-client';
import { toShownError, type ShownError } from '../../util/errors';
import { ErrorAlert } from '../ErrorAlert';

interface Props {
  datasetId?: string;
  /** `owner/name[@revision]` on the Hub (BERT, DistilBERT or RoBERTa). */
  hubId: string;
  backend: BackendChoice;
  batchSize: number;
  maxLength: number;
  disabled: boolean;
}

interface Progress {
  text: string;
  done: number;
  total: number;
}

const clock = (s: number) => (s < 60 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);

export function ContinuePretraining({ datasetId, hubId, backend, batchSize, maxLength, disabled }: Props) {
  const id = useId();
  const stem = hubId.replace(/@.*$/, '').split('/').pop() ?? 'encoder';
  // The name follows the chosen encoder until it is edited.
  const [edited, setName] = useState<string>();
  const name = edited ?? `${stem}-mlm`;
  const [steps, setSteps] = useState(200);
  const [maxTexts, setMaxTexts] = useState<number | undefined>(5000);
  const [progress, setProgress] = useState<Progress>();
  const [running, setRunning] = useState(false);
  const [record, setRecord] = useState<PretrainRecord>();
  const [error, setError] = useState<ShownError>();
  const validName = /^[\w.-]+$/.test(name);

  const start = async () => {
    if (!datasetId) return;
    setRunning(true);
    setError(undefined);
    setRecord(undefined);
    const began = performance.now();
    try {
      const onEvent = listener((e) => {
        if (e.type === 'phase') setProgress({ text: e.phase, done: e.done, total: e.total });
        if (e.type === 'step' && e.totalSteps) {
          const left = ((performance.now() - began) / 1000 / e.step) * (e.totalSteps - e.step);
          setProgress({ text: `step ${e.step} of ${e.totalSteps} · MLM loss ${e.loss.toFixed(3)} · ${clock(left)} left`, done: e.step, total: e.totalSteps });
        }
      });
      setRecord(await lab().pretrain({ datasetId, base: `hf:${hubId}`, out: name, steps, maxTexts, batchSize, maxLength, backend }, onEvent));
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setRunning(false);
      setProgress(undefined);
    }
  };

  const last = record?.losses.at(-1);
  return (
    <details className="continue-pretraining" data-testid="continue-pretraining">
      <summary>Continue pretraining (MLM)</summary>
      <p className="muted small">
        Masked-language-model training of {hubId} on this dataset&apos;s train texts only (never validation or test), before fine-tuning. BERT, DistilBERT and RoBERTa encoders.
      </p>
      <div className="form-grid">
        <label htmlFor={`${id}-name`}>Save as</label>
        <input id={`${id}-name`} value={name} disabled={running} spellCheck={false} aria-invalid={!validName} onChange={(e) => setName(e.target.value.trim())} />
        <label htmlFor={`${id}-steps`}>Steps</label>
        <input id={`${id}-steps`} type="number" min={1} value={steps} disabled={running} onChange={(e) => setSteps(Math.max(1, Number(e.target.value) || 1))} />
        <label htmlFor={`${id}-texts`}>Train texts (at most)</label>
        <input
          id={`${id}-texts`}
          type="number"
          min={1}
          placeholder="all"
          value={maxTexts ?? ''}
          disabled={running}
          onChange={(e) => setMaxTexts(e.target.value.trim() === '' ? undefined : Math.max(1, Number(e.target.value) || 1))}
        />
      </div>
      <div className="row">
        <button type="button" data-testid="pretrain-start" disabled={disabled || running || !datasetId || !validName} onClick={() => void start()}>
          Continue pretraining (MLM)
        </button>
        {running && (
          <button type="button" data-testid="pretrain-cancel" onClick={() => void lab().cancel()}>
            Cancel
          </button>
        )}
      </div>
      {!datasetId && <p className="muted small">Pick a dataset first.</p>}
      {progress && (
        <p className="small" data-testid="pretrain-progress">
          <progress max={progress.total} value={progress.done} /> {progress.text}
        </p>
      )}
      {record && (
        <p className="small" data-testid="pretrain-done">
          Saved {record.architecture} as <code>{record.out}</code> after {record.step} steps on {record.dataset.texts} train texts
          {last ? ` (MLM loss ${last.loss.toFixed(3)}, masked-token accuracy ${(100 * last.accuracy).toFixed(1)}%)` : ''}. Fine-tune from it with{' '}
          <code>{`"base": "store:runs/${record.out}"`}</code> in the config.
        </p>
      )}
      {error && <ErrorAlert error={error} testId="pretrain-error" />}
    </details>
  );
}
