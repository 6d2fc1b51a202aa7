/** Which tensor backend the worker picked, on which adapter, and why others were skipped. */
import { useEffect, useState } from 'react';
import type { BackendInfo } from '../../core/experiment/result';
import { lab } from '../lab-client';
import { useTrain } from '../state/train';
import { toShownError } from '../util/errors';

const NAMES: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WASM', cpu: 'CPU' };
export const backendName = (b: string): string => NAMES[b] ?? b;

export function adapterText(info: BackendInfo): string {
  const a = info.adapter;
  if (!a) return '';
  const parts = [a.vendor, a.architecture].filter((p) => p && p.trim());
  const text = parts.length ? parts.join(' · ') : (a.description ?? '');
  const software = a.software ?? (a.isSwiftShader ? 'SwiftShader' : undefined);
  return software ? `${text || 'adapter'} (${software}, CPU emulation)` : text;
}

/** "WASM · WebGPU skipped: software adapter (SwiftShader) is slower than WASM on this machine". */
export function backendSummary(info: BackendInfo): string {
  return [backendName(info.backend), ...info.skipped.map((s) => `${backendName(s.backend)} skipped: ${s.reason}`)].join(' · ');
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

  // A plain-TypeScript run (classical, fastText's own SGD) started no tensor backend: keep
  // showing the worker's.
  const fromRun = runBackend && !runBackend.plainTypeScript && !(info && info.backend === runBackend.backend && !runBackend.adapter);
  const shown = fromRun ? runBackend : info;
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
    <div className={`badge badge-${shown.backend}`} data-testid="backend-badge" data-backend={shown.backend} title={backendSummary(shown)}>
      <span className="badge-main">
        Backend: <strong>{backendName(shown.backend)}</strong>
        {adapter && <span className="badge-detail"> — {adapter}</span>}
      </span>
      {shown.skipped.map((s, i) => (
        <span key={`${i}-${s.backend}`} className="badge-skipped" data-testid="backend-skipped">
          {backendName(s.backend)} skipped: {s.reason}
        </span>
      ))}
    </div>
  );
}
