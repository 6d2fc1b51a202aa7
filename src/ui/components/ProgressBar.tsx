/**
 * A labelled progress bar; indeterminate when the total is unknown or is a single step
 * ("Building the dictionary 0 / 1 (0%)" says nothing until it is over). Byte counts (downloads)
 * read as sizes, with the time left at the rate since the bar's label last changed.
 */
import { useRef } from 'react';
import { formatBytes } from '../util/format';
import { durationText } from '../util/progress';

interface Props {
  label: string;
  done: number;
  total: number;
  testId?: string;
  unit?: 'bytes';
}

/** Seconds left at the average rate since `start`; undefined until some progress has been seen. */
function secondsLeft(start: { at: number; done: number }, done: number, total: number): number | undefined {
  const elapsed = (performance.now() - start.at) / 1000;
  if (done <= start.done || elapsed < 0.2) return undefined;
  return ((total - done) * elapsed) / (done - start.done);
}

export function ProgressBar({ label, done, total, testId, unit }: Props) {
  const known = total > 1;
  const frac = known ? Math.min(1, Math.max(0, done / total)) : 0;
  // The origin of the rate: the first update under this label.
  const origin = useRef<{ label: string; at: number; done: number }>(undefined);
  if (!origin.current || origin.current.label !== label) origin.current = { label, at: performance.now(), done };
  const amount = (n: number) => (unit === 'bytes' ? formatBytes(n) : n.toLocaleString('en-US'));
  const left = unit === 'bytes' && known ? secondsLeft(origin.current, done, total) : undefined;
  return (
    <div className="progress" data-testid={testId}>
      <div className="progress-text">
        <span>{label}</span>
        {known && (
          <span className="muted">
            {amount(done)} / {amount(total)} ({Math.round(frac * 100)}%)
            {unit === 'bytes' && ` · ${left === undefined ? 'time left: measuring…' : `about ${durationText(left)} left`}`}
          </span>
        )}
      </div>
      <div
        className={`progress-track ${known ? '' : 'indeterminate'}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? done : undefined}
      >
        <div className="progress-fill" style={{ width: known ? `${frac * 100}%` : '30%' }} />
      </div>
    </div>
  );
}
