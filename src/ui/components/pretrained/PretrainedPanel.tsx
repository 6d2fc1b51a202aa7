/**
 * "Pretrained encoder" on the Train page: the curated catalog with its estimates for this device,
 * a field for any Hub id, the adaptation method and the main settings. The config it builds
 * starts from the pretrained tier's typed defaults (the base replaced by the choice, the
 * learning rate the guard considers safe for the method) and goes to the page's JSON editor.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { BackendChoice } from '../../../core/experiment/result';
import { LR_RANGES } from '../../../core/guard/thresholds';
import type { PretrainedCatalog } from '../../../core/lab/api';
import { lab } from '../../lab-client';
import { toShownError, type ShownError } from '../../util/errors';
import { ErrorAlert } from '../ErrorAlert';
import { CatalogTable } from './CatalogTable';
import { ContinuePretraining } from './ContinuePretraining';

type Method = 'full' | 'lora' | 'ia3' | 'bitfit' | 'adapter';
type Placement = 'pfeiffer' | 'houlsby';

const METHODS: { value: Method; label: string }[] = [
  { value: 'full', label: 'Full fine-tuning (every weight)' },
  { value: 'lora', label: 'LoRA (low-rank adapters on attention)' },
  { value: 'ia3', label: 'IA3 (learned rescaling vectors)' },
  { value: 'bitfit', label: 'BitFit (biases only)' },
  { value: 'adapter', label: 'Bottleneck adapters (Pfeiffer or Houlsby)' },
];

/** `owner/name[@revision]`, as the Hub names a model. */
const HUB_ID = /^[\w.-]+\/[\w.-]+(@[\w.\-/%]+)?$/;

export interface PretrainedSettings {
  hubId: string;
  method: Method;
  /** Where bottleneck adapters go (method 'adapter'): after the FFN only, or after attention and FFN. */
  placement: Placement;
  batchSize: number;
  /** Batches whose gradients are averaged before one step: the effective batch is batchSize × accumulate. */
  accumulate: number;
  maxLength: number;
  epochs: number;
  lr: number;
  /** Train on at most this many examples (a quick look); empty for all. */
  maxTrain?: number;
  /** The catalog entry's pooling (sentence-transformers: mean); a typed Hub id uses the head's [CLS]. */
  pooling: 'cls' | 'mean';
}

export const DEFAULT_SETTINGS: PretrainedSettings = {
  hubId: 'distilbert/distilbert-base-uncased',
  method: 'lora',
  placement: 'pfeiffer',
  // The recipe's batch of 32 as 4 × 8 accumulated, as the distilbert preset: a batch of 32 at
  // length 128 needs more than WASM's 4 GiB heap for a base-sized encoder, and the guard refuses it.
  batchSize: 4,
  accumulate: 8,
  maxLength: 128,
  epochs: 3,
  lr: LR_RANGES['pretrained/lora'].safe,
  pooling: 'cls',
};

/** The experiment config the settings describe. */
export function pretrainedConfig(s: PretrainedSettings): unknown {
  const name = s.hubId.replace(/@.*$/, '').split('/').pop()!;
  return {
    name: `${name}-${s.method}`,
    description: `hf:${s.hubId} fine-tuned with ${s.method} from the page.`,
    ...(s.maxTrain ? { data: { maxTrain: s.maxTrain } } : {}),
    model: {
      type: 'pretrained',
      base: `hf:${s.hubId}`,
      method: s.method,
      ...(s.method === 'adapter' ? { adapter: { placement: s.placement } } : {}),
      pooling: s.pooling,
      maxLength: s.maxLength,
      train: { batchSize: s.batchSize, accumulate: s.accumulate, epochs: s.epochs, lr: s.lr },
    },
  };
}

interface Props {
  datasetId?: string;
  backend: BackendChoice;
  disabled: boolean;
  settings: PretrainedSettings;
  onSettings: (s: PretrainedSettings) => void;
  /** True while the catalog's estimates are measured (the backend is busy: training waits). */
  onBusy: (busy: boolean) => void;
}

export function PretrainedPanel({ datasetId, backend, disabled, settings, onSettings, onBusy }: Props) {
  const id = useId();
  const [catalog, setCatalog] = useState<PretrainedCatalog>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ShownError>();
  const validId = HUB_ID.test(settings.hubId);
  const update = (patch: Partial<PretrainedSettings>) => onSettings({ ...settings, ...patch });

  // The estimates and the guard's verdicts depend on the data, the backend and every setting.
  const query = useMemo(() => (validId ? JSON.stringify(pretrainedConfig(settings)) : undefined), [validId, settings]);
  useEffect(() => {
    if (!query || disabled) return;
    let live = true;
    const timer = setTimeout(() => {
      setLoading(true);
      onBusy(true);
      lab()
        .pretrainedCatalog(datasetId, JSON.parse(query), backend)
        .then((c) => live && (setCatalog(c), setError(undefined)))
        .catch((err: unknown) => live && setError(toShownError(err)))
        .finally(() => {
          if (live) setLoading(false);
          onBusy(false);
        });
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, datasetId, backend, disabled, onBusy]);

  const num = (v: string) => (v.trim() === '' ? undefined : Number(v));

  return (
    <div className="pretrained-panel" data-testid="pretrained-panel">
      <CatalogTable catalog={catalog} loading={loading} chosen={settings.hubId} disabled={disabled} onChoose={(hubId, pooling) => update({ hubId, pooling })} />
      {error && <ErrorAlert error={error} testId="catalog-error" />}
      <div className="form-grid">
        <label htmlFor={`${id}-hub-id`}>Hub model id</label>
        <div>
          <input
            id={`${id}-hub-id`}
            data-testid="hub-model-id"
            value={settings.hubId}
            disabled={disabled}
            spellCheck={false}
            placeholder="owner/name[@revision]"
            aria-invalid={!validId}
            onChange={(e) => update({ hubId: e.target.value.trim().replace(/^hf:/, ''), pooling: 'cls' })}
          />
          <p className={validId ? 'muted small' : 'field-error small'}>
            {validId
              ? 'Any sequence-classification checkpoint of these architectures with model.safetensors and tokenizer.json; picking a row above fills this in.'
              : 'Expected owner/name or owner/name@revision, as on the Hub.'}
          </p>
        </div>

        <label htmlFor={`${id}-method`}>Method</label>
        <select
          id={`${id}-method`}
          value={settings.method}
          disabled={disabled}
          onChange={(e) => {
            const method = e.target.value as Method;
            update({ method, lr: LR_RANGES[`pretrained/${method}`].safe });
          }}
        >
          {METHODS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>

        {settings.method === 'adapter' && (
          <>
            <label htmlFor={`${id}-placement`}>Adapter placement</label>
            <select id={`${id}-placement`} value={settings.placement} disabled={disabled} onChange={(e) => update({ placement: e.target.value as Placement })}>
              <option value="pfeiffer">Pfeiffer (after the feed-forward block)</option>
              <option value="houlsby">Houlsby (after attention and feed-forward)</option>
            </select>
          </>
        )}

        <label htmlFor={`${id}-batch`}>Batch size</label>
        <input
          id={`${id}-batch`}
          type="number"
          min={1}
          max={4096}
          value={settings.batchSize}
          disabled={disabled}
          onChange={(e) => update({ batchSize: num(e.target.value) ?? 1 })}
        />

        <label htmlFor={`${id}-accumulate`}>Accumulate batches</label>
        <input
          id={`${id}-accumulate`}
          type="number"
          min={1}
          max={1024}
          value={settings.accumulate}
          disabled={disabled}
          title={`Effective batch: ${settings.batchSize * settings.accumulate}`}
          onChange={(e) => update({ accumulate: num(e.target.value) ?? 1 })}
        />

        <label htmlFor={`${id}-length`}>Max length (tokens)</label>
        <input
          id={`${id}-length`}
          type="number"
          min={4}
          max={4096}
          value={settings.maxLength}
          disabled={disabled}
          onChange={(e) => update({ maxLength: num(e.target.value) ?? 4 })}
        />

        <label htmlFor={`${id}-epochs`}>Epochs</label>
        <input id={`${id}-epochs`} type="number" min={1} max={100} value={settings.epochs} disabled={disabled} onChange={(e) => update({ epochs: num(e.target.value) ?? 1 })} />

        <label htmlFor={`${id}-lr`}>Learning rate</label>
        <input id={`${id}-lr`} type="number" step="any" min={0} value={settings.lr} disabled={disabled} onChange={(e) => update({ lr: num(e.target.value) ?? 0 })} />

        <label htmlFor={`${id}-max-train`}>Training examples (at most)</label>
        <input
          id={`${id}-max-train`}
          type="number"
          min={1}
          placeholder="all"
          value={settings.maxTrain ?? ''}
          disabled={disabled}
          onChange={(e) => update({ maxTrain: num(e.target.value) })}
        />
      </div>
      <ContinuePretraining
        datasetId={datasetId}
        hubId={settings.hubId}
        backend={backend}
        batchSize={settings.batchSize}
        maxLength={settings.maxLength}
        disabled={disabled || !validId}
      />
    </div>
  );
}
