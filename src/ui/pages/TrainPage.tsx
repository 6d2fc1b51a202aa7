/**
 * Train: dataset + a preset or a pretrained encoder (either way an editable JSON config) +
 * backend, Start/Cancel, and the live view. Presets whose base is a local folder (`file:`) are
 * not offered: a browser cannot read that folder.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { PresetInfo } from '../../core/lab/api';
import type { BackendChoice } from '../../core/experiment/result';
import { GridSearchPanel } from '../components/GridSearchPanel';
import { LiveTraining } from '../components/LiveTraining';
import { SearchPanel } from '../components/search/SearchPanel';
import { HubSettings } from '../components/pretrained/HubSettings';
import { EstimateCard } from '../components/train-estimate/EstimateCard';
import { useLabWaits } from '../components/train-estimate/lab-waits';
import { RecommendPresetPanel } from '../components/train-estimate/RecommendPresetPanel';
import { useEstimate } from '../components/train-estimate/use-estimate';
import { DEFAULT_SETTINGS, PretrainedPanel, pretrainedConfig, type PretrainedSettings } from '../components/pretrained/PretrainedPanel';
import { useLists } from '../state/lists';
import { useTrain } from '../state/train';
import { useUi } from '../state/ui';
import { int } from '../util/format';
import { pickPreset } from '../util/presets';

const BACKENDS: { value: BackendChoice; label: string }[] = [
  { value: 'auto', label: 'Auto (WebGPU on a GPU, else WASM, then CPU)' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'WASM' },
  { value: 'cpu', label: 'CPU' },
];

const pretty = (x: unknown) => JSON.stringify(x ?? {}, null, 2);

/** A preset whose model reads a local folder, which only the terminal runner can. */
const localBase = (p: PresetInfo) => {
  const base = (p.config as { model?: { base?: unknown } } | undefined)?.model?.base;
  return typeof base === 'string' && base.startsWith('file:');
};

export function TrainPage() {
  const id = useId();
  const datasets = useLists((s) => s.datasets);
  const allPresets = useLists((s) => s.presets);
  const presets = useMemo(() => allPresets.filter((p) => !localBase(p)), [allPresets]);
  const hiddenPresets = allPresets.filter(localBase).map((p) => p.name);
  const [source, setSource] = useState<'preset' | 'pretrained'>('preset');
  const [pretrained, setPretrained] = useState<PretrainedSettings>(DEFAULT_SETTINGS);
  const [measuring, setMeasuring] = useState(false);
  const { trainDatasetId, presetName, backend, set } = useUi();
  const running = useTrain((s) => s.running);
  const cancelling = useTrain((s) => s.cancelling);
  const start = useTrain((s) => s.start);
  const cancel = useTrain((s) => s.cancel);

  useEffect(() => {
    const lists = useLists.getState();
    void lists.refreshDatasets();
    void lists.loadPresets();
  }, []);

  const dataset = datasets.find((d) => d.id === trainDatasetId) ?? datasets[0];
  const preset = pickPreset(presets, presetName);

  // The textarea starts from the preset's (or the pretrained settings') config; edits stay until another is picked.
  const built = useMemo(() => pretrainedConfig(pretrained), [pretrained]);
  const sourceKey = source === 'preset' ? preset?.name : `pretrained:${JSON.stringify(built)}`;
  const [configText, setConfigText] = useState<{ preset?: string; text: string }>({ text: '' });
  const shownText = configText.preset === sourceKey ? configText.text : pretty(source === 'preset' ? preset?.config : built);

  const parsed = useMemo(() => {
    try {
      return { ok: true as const, value: JSON.parse(shownText) as unknown };
    } catch (err) {
      return { ok: false as const, message: (err as Error).message };
    }
  }, [shownText]);

  const [searching, setSearching] = useState(false);
  // The catalog's speed measurement holds the backend for a moment: a run starts after it.
  const canStart = !running && !searching && !!dataset && (source === 'pretrained' ? !measuring : !!preset) && parsed.ok;

  // An estimate's first timing holds the machine for a moment: Start waits for it rather than being refused.
  const waits = useLabWaits();
  const [waiting, setWaiting] = useState(false);
  const estimate = useEstimate({ datasetId: dataset?.id, config: parsed.ok ? parsed.value : undefined, backend, paused: running || searching || measuring, waits });

  const onStart = async () => {
    if (!canStart || !parsed.ok || waiting) return;
    setWaiting(true);
    try {
      await waits.hold();
      void start({ datasetId: dataset.id, config: parsed.value, backend });
    } finally {
      waits.release();
      setWaiting(false);
    }
  };

  return (
    <section className="page" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Train</h2>
      <div className="card train-form">
        <div className="form-grid">
          <label htmlFor={`${id}-dataset`}>Dataset</label>
          <div>
            <select id={`${id}-dataset`} value={dataset?.id ?? ''} disabled={running || datasets.length === 0} onChange={(e) => set({ trainDatasetId: e.target.value })}>
              {datasets.length === 0 && <option value="">No datasets: import one on the Data page</option>}
              {datasets.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({int(d.sizes.train)} train / {int(d.sizes.validation)} validation)
                </option>
              ))}
            </select>
          </div>

          <span id={`${id}-source`}>Model</span>
          <div role="radiogroup" aria-labelledby={`${id}-source`} className="row">
            <label>
              <input type="radio" name={`${id}-source`} checked={source === 'preset'} disabled={running} onChange={() => setSource('preset')} /> Built-in recipe
            </label>
            <label>
              <input
                type="radio"
                name={`${id}-source`}
                checked={source === 'pretrained'}
                disabled={running}
                onChange={() => setSource('pretrained')}
                data-testid="source-pretrained"
              />{' '}
              Pretrained encoder
            </label>
          </div>

          {source === 'pretrained' && (
            <>
              <span>Encoder</span>
              <PretrainedPanel datasetId={dataset?.id} backend={backend} disabled={running} settings={pretrained} onSettings={setPretrained} onBusy={setMeasuring} />
            </>
          )}

          {source === 'preset' && (
            <>
              <label htmlFor={`${id}-preset`}>Preset</label>
              <div>
                <select
                  id={`${id}-preset`}
                  value={preset?.name ?? ''}
                  disabled={running || presets.length === 0}
                  onChange={(e) => set({ presetName: e.target.value })}
                  aria-describedby={`${id}-preset-desc`}
                >
                  {presets.length === 0 && <option value="">Loading presets…</option>}
                  {presets.map((p) => (
                    <option key={p.name} value={p.name}>
                      {p.name}
                    </option>
                  ))}
                </select>
                <p id={`${id}-preset-desc`} className="muted small" data-testid="preset-description">
                  {preset?.description}
                </p>
                {hiddenPresets.length > 0 && (
                  <p className="muted small" data-testid="hidden-presets">
                    Not offered here: {hiddenPresets.join(', ')}, whose base is a local folder (file:) that only the terminal runner can read. Choose “Pretrained encoder” to
                    fine-tune a base from the Hub instead.
                  </p>
                )}
              </div>
            </>
          )}

          <label htmlFor={`${id}-config`}>Config (JSON)</label>
          <div>
            <textarea
              id={`${id}-config`}
              className="config"
              rows={10}
              spellCheck={false}
              value={shownText}
              disabled={running}
              onChange={(e) => setConfigText({ preset: sourceKey, text: e.target.value })}
              aria-invalid={!parsed.ok}
              aria-describedby={`${id}-config-help`}
            />
            <p id={`${id}-config-help`} className={parsed.ok ? 'muted small' : 'field-error small'}>
              {parsed.ok ? 'Edit to change hyper-parameters; the worker validates the config.' : `Invalid JSON: ${parsed.message}`}
              {configText.preset === sourceKey && (
                <>
                  {' '}
                  <button type="button" className="link" onClick={() => setConfigText({ text: '' })} disabled={running}>
                    {source === 'preset' ? 'Reset to preset' : 'Reset to the settings above'}
                  </button>
                </>
              )}
            </p>
          </div>

          <label htmlFor={`${id}-backend`}>Backend</label>
          <select id={`${id}-backend`} value={backend} disabled={running} onChange={(e) => set({ backend: e.target.value as BackendChoice })}>
            {BACKENDS.map((b) => (
              <option key={b.value} value={b.value}>
                {b.label}
              </option>
            ))}
          </select>
        </div>
        <EstimateCard
          {...estimate}
          unavailable={!dataset ? 'Import a dataset to see what a run would cost.' : !parsed.ok ? 'Fix the config’s JSON to see its estimate.' : undefined}
        />
        <div className="row">
          <button type="button" className="primary" data-testid="start-train" disabled={!canStart || waiting} onClick={() => void onStart()}>
            {running ? 'Training…' : waiting ? 'Starting after the estimate’s timing…' : 'Start training'}
          </button>
          <button type="button" data-testid="cancel-train" disabled={!running || cancelling} onClick={() => void cancel()}>
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      </div>
      <RecommendPresetPanel
        datasets={datasets}
        datasetId={dataset?.id}
        backend={backend}
        disabled={running}
        waits={waits}
        onUse={(name) => {
          setSource('preset');
          set({ presetName: name });
        }}
      />
      {parsed.ok && (
        <GridSearchPanel
          datasetId={dataset?.id}
          config={parsed.value}
          disabled={running}
          onBusy={setSearching}
          onApply={(c) => setConfigText({ preset: sourceKey, text: pretty(c) })}
        />
      )}
      {parsed.ok && (
        <SearchPanel
          datasetId={dataset?.id}
          config={parsed.value}
          disabled={running}
          onBusy={setSearching}
          onApply={(c) => setConfigText({ preset: sourceKey, text: pretty(c) })}
        />
      )}
      <HubSettings disabled={running} />
      <LiveTraining />
    </section>
  );
}
