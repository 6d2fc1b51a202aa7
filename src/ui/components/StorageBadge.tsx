/**
 * Browser storage used by the lab (navigator.storage.estimate() in the worker), read when the
 * page opens, again once the worker has opened its database and listed what it holds (an
 * estimate taken before that can read 0 B after a reload), after imports, runs and deletions,
 * and when the tab becomes visible again (another tab may have changed it).
 */
import { useEffect, useState } from 'react';
import { lab } from '../lab-client';
import { useLists } from '../state/lists';
import { formatBytes } from '../util/format';

export function StorageBadge() {
  const version = useLists((s) => s.storageVersion);
  const listed = useLists((s) => s.datasetsLoaded && s.runsLoaded);
  const [est, setEst] = useState<{ usage: number; quota: number } | null>();

  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && useLists.getState().storageChanged();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  useEffect(() => {
    let alive = true;
    lab()
      .storageEstimate()
      .then((e) => alive && setEst(e ?? null))
      .catch(() => alive && setEst(null));
    return () => {
      alive = false;
    };
  }, [version, listed]);

  if (est === undefined)
    return (
      <div className="badge" data-testid="storage-badge">
        Storage: …
      </div>
    );
  if (est === null)
    return (
      <div className="badge" data-testid="storage-badge">
        Storage: unknown
      </div>
    );
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
