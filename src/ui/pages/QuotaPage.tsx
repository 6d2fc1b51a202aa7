/**
 * The quota dashboard: what this device is (adapter, limits, memory, storage), the live run's
 * memory against its estimate, storage by kind and item with delete and persist, the compute
 * budgets with their history, and the presets that fit a time budget. While a run trains, the
 * storage and budget figures are re-read every few seconds and the memory curve follows it.
 */
import { useEffect, useId, useState } from 'react';
import type { DeviceProfile } from '../../core/lab/quota-api';
import { ErrorAlert } from '../components/ErrorAlert';
import { DeviceCard } from '../components/quota/DeviceCard';
import { MemoryChart } from '../components/quota/MemoryChart';
import { lab } from '../lab-client';
import { useTrain } from '../state/train';
import { toShownError, type ShownError } from '../util/errors';
import '../quota.css';

export function QuotaPage() {
  const id = useId();
  const live = useTrain();
  const [profile, setProfile] = useState<DeviceProfile>();
  const [error, setError] = useState<ShownError>();

  // Re-read when a run starts or ends, and once its backend is chosen: the backend it took, the storage it used.
  useEffect(() => {
    let alive = true;
    lab()
      .deviceProfile()
      .then((p) => alive && setProfile(p))
      .catch((e) => alive && setError(toShownError(e)));
    return () => {
      alive = false;
    };
  }, [live.running, live.backend?.backend]);

  return (
    <section className="page quota" aria-labelledby={`${id}-h`} data-testid="quota-page">
      <h2 id={`${id}-h`}>Quota</h2>
      {error && <ErrorAlert error={error} testId="quota-error" onDismiss={() => setError(undefined)} />}
      <div className="two-col">
        <DeviceCard profile={profile} />
        <MemoryChart steps={live.steps.items} running={live.running} backend={live.backend?.backend} />
      </div>
    </section>
  );
}
