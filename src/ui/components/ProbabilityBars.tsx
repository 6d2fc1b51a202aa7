/** Class probabilities as horizontal bars, most likely first. */
interface Props {
  classes: string[];
  probs: number[];
}

export function ProbabilityBars({ classes, probs }: Props) {
  const rows = classes.map((name, i) => ({ name, p: probs[i] ?? 0 })).sort((a, b) => b.p - a.p);
  return (
    <ol className="probs" data-testid="predict-result" aria-label="Class probabilities">
      {rows.map((r, i) => (
        <li key={r.name} className={i === 0 ? 'top' : undefined} data-testid="predict-class">
          <span className="prob-name">{r.name}</span>
          <span className="prob-track" aria-hidden="true">
            <span className="prob-fill" style={{ width: `${Math.max(0, Math.min(1, r.p)) * 100}%` }} />
          </span>
          <span className="prob-value">{(r.p * 100).toFixed(1)}%</span>
        </li>
      ))}
    </ol>
  );
}
