/**
 * A sentence with each token shaded by its attribution: green pushed the prediction towards the
 * explained class, red pushed away; the strongest token sets the full shade.
 */
import type { TokenAttribution } from '../../core/models/estimator';
import { pct } from '../util/format';

export function AttributionView({ attribution, classes }: { attribution: TokenAttribution; classes: string[] }) {
  const max = Math.max(1e-12, ...attribution.scores.map(Math.abs));
  return (
    <figure className="attribution-figure" data-testid="attribution">
      <figcaption className="small">
        Why <strong>{classes[attribution.target]}</strong> ({pct(attribution.probs[attribution.target], 1)}): {attribution.method}
      </figcaption>
      <p className="attribution" aria-label="Tokens shaded by attribution">
        {attribution.tokens.map((t, i) => {
          const s = attribution.scores[i];
          const a = Math.min(1, Math.abs(s) / max);
          const color = s >= 0 ? `rgba(22, 163, 74, ${(0.1 + 0.7 * a).toFixed(2)})` : `rgba(220, 38, 38, ${(0.1 + 0.7 * a).toFixed(2)})`;
          return (
            <span key={i} className="tok" data-testid="attribution-token" data-score={s.toFixed(6)} style={{ background: color }} title={`${t}: ${s.toFixed(4)}`}>
              {t}{' '}
            </span>
          );
        })}
      </p>
    </figure>
  );
}
