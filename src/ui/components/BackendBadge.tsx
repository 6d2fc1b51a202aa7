/** Which tensor backend the worker picked, on which adapter, and why others were skipped. */
import { useEffect, useState } from 'react';
import type { BackendInfo } from '../../core/experiment/result';
import { lab } from '../lab-client';
import { useTrain } from '../state/train';
import { toShownError } from '../util/errors';

export function adapterText(info: BackendInfo): string {
  const a = info.adapter;
  if (!a) return '';
  const parts = [a.vendor, a.architecture].filter((p) => p && p.trim());
  const text = parts.length ? parts.join(' · ') : a.description ?? '';
  return a.isSwiftShader ? `${text || 'adapter'} (SwiftShader, CPU emulation)` : text;
}

export function BackendBadge() {
  const [info, setInfo] = useState<BackendInfo>();
  const [error, setError] = useState<string>();
  // A run reports the backend it actually got; prefer that once known.
  const runBackend = useTrain((s) => s.backend);

  useEffect(() => {
    let alive = true;
    lab()
      .backendInfo()
      .then((i) => alive && setInfo(i))
      .catch((err: unknown) => alive && setError(toShownError(err).text));
    return () => {
      alive = false;
    };
  }, []);

  const shown = runBackend && !(info && info.backend === runBackend.backend && !runBackend.adapter) ? runBackend : info;
  if (error && !shown) {
    return (
      <div className="badge badge-warn" data-testid="backend-badge" title={error}>
        Backend unavailable
      </div>
    );
  }
  if (!shown) {
    return (
      <div className="badge" data-testid="backend-badge">
        Backend: checking…
      </div>
    );
  }
  const adapter = adapterText(shown);
  return (
    <div className={`badge badge-${shown.backend}`} data-testid="backend-badge">
      <span className="badge-main">
        Backend: <strong>{shown.backend}</strong>
        {adapter && <span className="badge-detail"> — {adapter}</span>}
      </span>
      {shown.skipped.length > 0 && (
        <span className="badge-skipped" data-testid="backend-skipped">
          {shown.skipped.map((s) => `${s.backend} skipped: ${s.reason}`).join('; ')}
        </span>
      )}
    </div>
  );
}
