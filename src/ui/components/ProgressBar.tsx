/**
 * A labelled progress bar; indeterminate when the total is unknown or is a single step
 * ("Building the dictionary 0 / 1 (0%)" says nothing until it is over).
 */
interface Props {
  label: string;
  done: number;
  total: number;
  testId?: string;
}

export function ProgressBar({ label, done, total, testId }: Props) {
  const known = total > 1;
  const frac = known ? Math.min(1, Math.max(0, done / total)) : 0;
  return (
    <div className="progress" data-testid={testId}>
      <div className="progress-text">
        <span>{label}</span>
        {known && (
          <span className="muted">
            {done.toLocaleString('en-US')} / {total.toLocaleString('en-US')} ({Math.round(frac * 100)}%)
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
