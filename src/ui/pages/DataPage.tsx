/** Data: import a dataset (files, a table with a column mapping, or the Hub) and list the stored ones. */
import { useEffect, useId, useState } from 'react';
import type { ImportRequest } from '../../core/lab/api';
import { ColumnMappingForm } from '../components/ColumnMappingForm';
import { DatasetRow } from '../components/DatasetRow';
import { DropZone } from '../components/DropZone';
import { ErrorAlert } from '../components/ErrorAlert';
import { ProgressBar } from '../components/ProgressBar';
import { StartHere } from '../components/StartHere';
import { useImport } from '../state/import';
import { useLists } from '../state/lists';
import { useUi } from '../state/ui';
import { classify, readFiles, type Dropped } from '../util/files';
import { int } from '../util/format';

export const HUB_DATASET = 'fancyzhx/ag_news';

export function DataPage() {
  const id = useId();
  const { importing, progress, error, imported, runImport, clear } = useImport();
  const datasets = useLists((s) => s.datasets);
  const loaded = useLists((s) => s.datasetsLoaded);
  const deleteDataset = useLists((s) => s.deleteDataset);
  const maxTrain = useUi((s) => s.maxTrain);
  const validationFraction = useUi((s) => s.validationFraction);
  const setUi = useUi((s) => s.set);
  const [pending, setPending] = useState<Extract<Dropped, { kind: 'table' }>>();
  const [dropProblem, setDropProblem] = useState<string>();
  const [reading, setReading] = useState(false);

  useEffect(() => {
    void useLists.getState().refreshDatasets();
  }, []);

  const options = {
    ...(maxTrain && maxTrain > 0 ? { maxTrain } : {}),
    ...(Number.isFinite(validationFraction) ? { validationFraction } : {}),
  };

  const start = (req: ImportRequest) => {
    setPending(undefined);
    void runImport(req);
  };

  const onFiles = async (files: File[]) => {
    clear();
    setDropProblem(undefined);
    setPending(undefined);
    setReading(true);
    try {
      const dropped = classify(await readFiles(files));
      if (dropped.kind === 'agnews') start({ kind: 'agnews', files: dropped.files, ...options });
      else if (dropped.kind === 'table') setPending(dropped);
      else setDropProblem(dropped.reason);
    } catch (err) {
      setDropProblem(`Could not read the files: ${String(err)}`);
    } finally {
      setReading(false);
    }
  };

  const busy = importing || reading;
  const loadHub = () => {
    clear();
    setDropProblem(undefined);
    start({ kind: 'hub', dataset: HUB_DATASET, ...options });
  };

  return (
    <section className="page" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Data</h2>
      <StartHere onLoadHub={loadHub} busy={busy} />
      <div className="card import">
        <h3>Import a dataset</h3>
        <div className="form-inline">
          <label>
            Max train rows
            <input
              type="number"
              min={1}
              step={1}
              placeholder="all"
              value={maxTrain ?? ''}
              onChange={(e) => setUi({ maxTrain: e.target.value ? Math.max(1, Math.floor(Number(e.target.value))) : undefined })}
            />
          </label>
          <label>
            Validation fraction
            <input
              type="number"
              min={0}
              max={0.5}
              step={0.01}
              value={validationFraction}
              onChange={(e) => setUi({ validationFraction: e.target.value === '' ? 0.1 : Number(e.target.value) })}
            />
          </label>
        </div>
        <DropZone onFiles={(f) => void onFiles(f)} disabled={busy} />
        <div className="row">
          <button type="button" className="primary" disabled={busy} onClick={loadHub}>
            Load AG News from the Hub
          </button>
          <span className="muted small">
            Downloads <code>{HUB_DATASET}</code> (Parquet) into this browser.
          </span>
        </div>
        {pending && (
          <ColumnMappingForm
            key={pending.train.name}
            name={pending.name}
            train={pending.train}
            test={pending.test}
            preview={pending.preview}
            options={options}
            disabled={busy}
            onSubmit={start}
            onCancel={() => setPending(undefined)}
          />
        )}
        {reading && <p className="muted">Reading files…</p>}
        {importing && progress && (
          <div data-testid="import-progress">
            <ProgressBar label={progress.message} done={progress.done} total={progress.total} />
          </div>
        )}
        {dropProblem && (
          <ErrorAlert error={{ text: dropProblem, name: 'Error', quota: false, issues: [], errorCount: 0 }} testId="import-error" onDismiss={() => setDropProblem(undefined)} />
        )}
        {error && <ErrorAlert error={error} testId="import-error" onDismiss={clear} />}
        {imported && !importing && (
          <p className="notice" role="status" data-testid="import-done">
            Imported <strong>{imported.name}</strong>: {int(imported.sizes.train)} train, {int(imported.sizes.validation)} validation, {int(imported.sizes.test)} test examples.
          </p>
        )}
      </div>

      <h3>Datasets</h3>
      {!loaded ? (
        <p className="muted">Loading…</p>
      ) : datasets.length === 0 ? (
        <p className="muted" data-testid="no-datasets">
          No datasets yet: import one above.
        </p>
      ) : (
        <ul className="dataset-list">
          {datasets.map((d) => (
            <DatasetRow key={d.id} meta={d} onDelete={deleteDataset} />
          ))}
        </ul>
      )}
    </section>
  );
}
