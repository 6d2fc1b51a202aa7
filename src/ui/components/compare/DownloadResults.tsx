/** results.csv / results.json for the compared runs: the same files `agnews report` writes. */
import { useState } from 'react';
import { ErrorAlert } from '../ErrorAlert';
import { lab } from '../../lab-client';
import { downloadText } from '../../util/download';
import { toShownError, type ShownError } from '../../util/errors';

export function DownloadResults({ runIds }: { runIds: string[] }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError>();
  const download = async (kind: 'csv' | 'json') => {
    setBusy(true);
    setError(undefined);
    try {
      const files = await lab().resultsFiles(runIds);
      if (kind === 'csv') downloadText('results.csv', files.csv, 'text/csv');
      else downloadText('results.json', files.json, 'application/json');
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="row">
      <button type="button" data-testid="download-results-csv" disabled={busy || runIds.length === 0} onClick={() => void download('csv')}>
        Download results.csv
      </button>
      <button type="button" data-testid="download-results-json" disabled={busy || runIds.length === 0} onClick={() => void download('json')}>
        Download results.json
      </button>
      {error && <ErrorAlert error={error} testId="download-error" onDismiss={() => setError(undefined)} />}
    </div>
  );
}
