/**
 * Tensor memory of the live run over time, against the run's estimated peak: the worker's
 * tf.memory().numBytes at each logged step (on WebGPU, the bytes of the tensors held in GPU
 * buffers) and, on WebGPU, the GPU buffers allocated (numBytesAllocatedInGPU: freed buffers stay
 * in the backend's pool). A curve that crosses the dashed line means the estimate was too low.
 */
import { useMemo } from 'react';
import type { StepPoint } from '../../state/train';
import type { Series } from '../../util/series';
import { CurveChart } from '../CurveChart';
import { formatBytes } from '../../util/format';

const MiB = 2 ** 20;

/** Seconds since the first step, MiB in use. */
export function memorySeries(steps: StepPoint[], estimateBytes?: number): Series[] {
  const points = steps.filter((p) => p.bytes !== undefined && p.at !== undefined);
  const t0 = points[0]?.at ?? 0;
  const used = points.map((p) => ({ x: (p.at! - t0) / 1000, y: p.bytes! / MiB }));
  const out: Series[] = [{ name: 'tensor memory (MiB)', color: '#2563eb', points: used }];
  const gpu = points.filter((p) => p.gpuBytes !== undefined).map((p) => ({ x: (p.at! - t0) / 1000, y: p.gpuBytes! / MiB }));
  if (gpu.length > 0) out.push({ name: 'GPU buffers allocated (MiB)', color: '#16a34a', points: gpu });
  if (estimateBytes !== undefined && used.length > 0) {
    const end = Math.max(used[used.length - 1].x, 1);
    out.push({
      name: 'estimated peak (MiB)',
      color: '#dc2626',
      dashed: true,
      points: [
        { x: 0, y: estimateBytes / MiB },
        { x: end, y: estimateBytes / MiB },
      ],
    });
  }
  return out;
}

interface Props {
  steps: StepPoint[];
  running: boolean;
  estimateBytes?: number;
  /** Why there is no estimate (a measurement the running job holds the machine for). */
  estimateProblem?: string;
  backend?: string;
}

export function MemoryChart({ steps, running, estimateBytes, estimateProblem, backend }: Props) {
  const series = useMemo(() => memorySeries(steps, estimateBytes), [steps, estimateBytes]);
  const peak = steps.reduce((m, p) => Math.max(m, p.bytes ?? 0), 0);
  return (
    <section className="card" aria-label="Memory during the run" data-testid="quota-memory">
      <h3>
        Memory during {running ? 'the run' : 'the last run'} {backend && <span className="muted small">({backend})</span>}
      </h3>
      <CurveChart
        title="Tensor memory over time"
        series={series}
        testId="quota-memory-chart"
        xLabel="s"
        integerX={false}
        height={220}
        emptyText={running ? 'Waiting for the first logged step…' : 'Start a neural run on the Train tab: its memory is drawn here as it trains.'}
      />
      {peak > 0 && (
        <p className="small" data-testid="quota-memory-peak">
          Peak so far {formatBytes(peak)}
          {estimateBytes !== undefined && (
            <>
              {' '}
              · estimated {formatBytes(estimateBytes)} ({((peak / estimateBytes) * 100).toFixed(0)}% of it)
            </>
          )}
        </p>
      )}
      {estimateProblem && <p className="muted small">No estimate to compare with: {estimateProblem}</p>}
    </section>
  );
}
