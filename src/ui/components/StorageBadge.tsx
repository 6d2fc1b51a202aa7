/** Browser storage used by the lab, re-read after imports, runs and deletions. */
import { useEffect, useState } from 'react';
import { lab } from '../lab-client';
import { useLists } from '../state/lists';
import { formatBytes } from '../util/format';

export function StorageBadge() {
  const version = useLists((s) => s.storageVersion);
  const [est, setEst] = useState<{ usage: number; quota: number } | null>();

  useEffect(() => {
    let alive = true;
    lab()
      .storageEstimate()
      .then((e) => alive && setEst(e ?? null))
      .catch(() => alive && setEst(null));
    return () => {
      alive = false;
    };
  }, [version]);

  if (est === undefined) return <div className="badge" data-testid="storage-badge">Storage: …</div>;
  if (est === null) return <div className="badge" data-testid="storage-badge">Storage: unknown</div>;
  const frac = est.quota > 0 ? est.usage / est.quota : 0;
  return (
    <div
      className={`badge ${frac > 0.9 ? 'badge-warn' : ''}`}
      data-testid="storage-badge"
      title={`${est.usage.toLocaleString('en-US')} of ${est.quota.toLocaleString('en-US')} bytes`}
    >
      Storage: <strong>{formatBytes(est.usage)}</strong> of {formatBytes(est.quota)}
      {frac > 0.9 && <span className="badge-detail"> — nearly full: delete runs or datasets</span>}
    </div>
  );
}
