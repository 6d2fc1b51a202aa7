/**
 * One line under a dataset saying what the guard did at import: the test split sealed (and
 * its budget), and how many examples have a copy in another split. Details on the Overfitting page.
 */
import { useEffect, useState } from 'react';
import type { GuardStatus } from '../../core/guard/test-guard';
import type { LeakageReport } from '../../core/guard/leakage';
import { lab } from '../lab-client';
import { useUi } from '../state/ui';
import { LockIcon } from './LockIcon';

export function DatasetGuardLine({ datasetId, hasTest }: { datasetId: string; hasTest: boolean }) {
  const [state, setState] = useState<{ status?: GuardStatus; leakage?: LeakageReport; failed?: boolean }>({});
  useEffect(() => {
    let alive = true;
    Promise.all([hasTest ? lab().guardStatus(datasetId) : Promise.resolve(undefined), lab().leakage(datasetId)])
      .then(([status, leakage]) => alive && setState({ status, leakage }))
      .catch(() => alive && setState({ failed: true }));
    return () => {
      alive = false;
    };
  }, [datasetId, hasTest]);
  const { status, leakage } = state;
  const copies = leakage?.pairs.filter((p) => p.exact + p.near > 0) ?? [];
  const open = () => {
    const ui = useUi.getState();
    ui.set({ guardDatasetId: datasetId, guardRunId: undefined });
    ui.setTab('overfitting');
  };
  if (state.failed) return <p className="small field-error">The test-set guard has no record of this dataset: import it again to seal its test split.</p>;
  return (
    <p className="small" data-testid="dataset-guard">
      {status && (
        <span data-testid="dataset-guard-seal">
          {status.verified.ok ? (
            <>
              <LockIcon /> Test split sealed
            </>
          ) : (
            '⚠ Test split changed since import'
          )}{' '}
          · {status.left} of {status.budget} test evaluations left ·{' '}
        </span>
      )}
      {leakage && (
        <span data-testid="dataset-guard-leakage">
          {copies.length === 0 ? 'no copies across splits' : copies.map((p) => `${p.affected} ${p.pair.split('-')[1]} with a copy in ${p.pair.split('-')[0]}`).join(', ')} ·{' '}
        </span>
      )}
      <button type="button" className="link" onClick={open} data-testid="dataset-guard-details">
        details on the Overfitting tab →
      </button>
    </p>
  );
}
