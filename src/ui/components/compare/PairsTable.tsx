/**
 * Pairwise tests on the validation examples both runs predicted. McNemar asks "do they err on
 * different examples more than chance allows?"; the paired bootstrap says how large the
 * accuracy gap is. Significance uses the Bonferroni-adjusted McNemar p, because with many runs
 * some pair would look significant by luck alone.
 */
import type { Comparison } from '../../../core/experiment/compare';
import { favoured, NOT_SIGNIFICANT, ppCiText, ppText, pValueText, SIGNIFICANT, type RunLabel } from '../../util/compare';
import { int } from '../../util/format';

interface Props {
  comparison: Comparison;
  labels: Map<string, RunLabel>;
}

export function PairsTable({ comparison, labels }: Props) {
  const { pairs, untested } = comparison;
  const letter = (id: string) => labels.get(id)?.letter ?? id;
  const name = (id: string) => labels.get(id)?.name ?? id;
  return (
    <section className="card" aria-labelledby="compare-pairs-h">
      <h3 id="compare-pairs-h">Is the difference real?</h3>
      {pairs.length === 0 ? (
        <p className="muted" data-testid="compare-no-pairs">
          {comparison.runs.length < 2 ? 'Pick a second run to test a difference.' : 'No pair of these runs could be tested (see below).'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="compare-pairs" data-testid="compare-pairs">
            <caption>
              b: examples A got right and B wrong; c: the reverse. McNemar's exact test on b and c, Bonferroni-adjusted over {pairs.length} pair{pairs.length === 1 ? '' : 's'};
              accuracy difference A − B with a paired-bootstrap 95% interval.
            </caption>
            <thead>
              <tr>
                <th scope="col">A vs B</th>
                <th scope="col" className="num">
                  n
                </th>
                <th scope="col" className="num">
                  b
                </th>
                <th scope="col" className="num">
                  c
                </th>
                <th scope="col" className="num">
                  McNemar p
                </th>
                <th scope="col" className="num">
                  Adjusted p
                </th>
                <th scope="col" className="num">
                  Δ accuracy [95% CI]
                </th>
                <th scope="col">At 0.05 (Bonferroni)</th>
              </tr>
            </thead>
            <tbody>
              {pairs.map((p) => {
                const winner = p.significant ? favoured(p.bootstrap.delta, name(p.a), name(p.b)) : undefined;
                return (
                  <tr key={`${p.a}|${p.b}`} data-testid="compare-pair" data-significant={p.significant}>
                    <th scope="row" title={`${name(p.a)} vs ${name(p.b)}`}>
                      {letter(p.a)} vs {letter(p.b)}
                    </th>
                    <td className="num">{int(p.n)}</td>
                    <td className="num">{int(p.mcnemar.b)}</td>
                    <td className="num">{int(p.mcnemar.c)}</td>
                    <td className="num">{pValueText(p.mcnemar.pValue)}</td>
                    <td className="num">{pValueText(p.adjustedP)}</td>
                    <td className="num">
                      {ppText(p.bootstrap.delta)} <span className="compare-ci-inline">{ppCiText(p.bootstrap.ci)}</span>
                    </td>
                    <td className={p.significant ? 'compare-sig' : 'muted'} data-testid="compare-sig">
                      {p.significant ? SIGNIFICANT : NOT_SIGNIFICANT}
                      {winner && <span className="small"> ({winner} better)</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {untested.length > 0 && (
        <div data-testid="compare-untested">
          <h4>Not tested</h4>
          <ul className="small">
            {untested.map((u) => (
              <li key={`${u.a}|${u.b}`}>
                {name(u.a)} vs {name(u.b)}: {u.reason}.
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
