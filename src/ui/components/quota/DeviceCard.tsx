/**
 * The device profile card: the WebGPU adapter (marked when it is a CPU in disguise, since
 * training then runs on WASM instead), the limits that decide what fits, the backend runs
 * take and why, cores, memory, JS heap, origin storage, and the cached calibrations.
 */
import type { DeviceProfile } from '../../../core/lab/quota-api';
import { dateTime, formatBytes } from '../../util/format';

const MiB = 2 ** 20;

export function DeviceCard({ profile }: { profile?: DeviceProfile }) {
  if (!profile)
    return (
      <section className="card quota-device" aria-label="This device" data-testid="device-card">
        <h3>This device</h3>
        <p className="muted">Reading the adapter and its limits…</p>
      </section>
    );
  const { gpu, backend } = profile;
  return (
    <section className="card quota-device" aria-label="This device" data-testid="device-card">
      <h3>This device</h3>
      <p data-testid="device-adapter">
        <strong>WebGPU adapter:</strong>{' '}
        {gpu ? (
          <>
            {[gpu.vendor, gpu.architecture, gpu.description ?? gpu.device].filter(Boolean).join(' · ') || 'unnamed'}{' '}
            {gpu.software ? (
              <span className="quota-tag quota-tag-warn" data-testid="device-software" title="A CPU renderer: WebGPU works, but training is faster on WASM">
                software ({gpu.renderer}), not a GPU
              </span>
            ) : (
              <span className="quota-tag quota-tag-ok">GPU</span>
            )}
          </>
        ) : (
          <span className="muted">none{profile.gpuProblem ? `: ${profile.gpuProblem}` : ''}</span>
        )}
      </p>
      <p data-testid="device-backend">
        <strong>Runs use:</strong> {backend.backend}
        {backend.skipped.length > 0 && <span className="muted"> ({backend.skipped.map((s) => `${s.backend} skipped: ${s.reason}`).join('; ')})</span>}
      </p>
      <ul className="facts">
        <li>CPU cores: {profile.cpuCores ?? 'not reported'}</li>
        <li title="navigator.deviceMemory: rounded and capped by the browser">
          Device memory: {profile.deviceMemoryBytes ? formatBytes(profile.deviceMemoryBytes) : 'not reported'}
        </li>
        <li>JS heap limit: {profile.jsHeapLimitBytes ? formatBytes(profile.jsHeapLimitBytes) : 'not reported'}</li>
        {profile.storage && (
          <li data-testid="device-storage">
            Storage: {formatBytes(profile.storage.usage)} of {formatBytes(profile.storage.quota)}
            {profile.storage.persisted !== undefined && (profile.storage.persisted ? ' · persisted' : ' · not persisted (may be evicted)')}
          </li>
        )}
        {profile.disks?.map((d) => (
          <li key={d.what}>
            {d.what}: {formatBytes(d.freeBytes)} free of {formatBytes(d.totalBytes)}
          </li>
        ))}
      </ul>
      {gpu && (
        <details className="quota-limits">
          <summary>Limits and features</summary>
          <table data-testid="device-limits">
            <tbody>
              {Object.entries(gpu.limits).map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td className="num">{v >= MiB ? formatBytes(v) : v.toLocaleString('en-US')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="small">
            Features:{' '}
            {gpu.features.length
              ? gpu.features.map((f) => (
                  <code key={f} className={f === 'shader-f16' ? 'quota-feature quota-feature-key' : 'quota-feature'}>
                    {f}
                  </code>
                ))
              : 'none'}
          </p>
        </details>
      )}
      <p className="small" data-testid="device-calibrations">
        <strong>Calibration:</strong>{' '}
        {profile.calibrations.length
          ? profile.calibrations.map((c) => `${c.backend} ${(c.trainFlopsPerSecond / 1e9).toFixed(2)} GFLOP/s (${dateTime(c.measuredAt)})`).join('; ')
          : 'not measured on this device yet: estimates run a short calibration first.'}
      </p>
    </section>
  );
}
