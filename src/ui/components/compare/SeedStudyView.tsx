/**
 * Runs repeated over seeds: one seed's score can be luck, so each configuration shows mean ±
 * std over its seeds, and the paired t-tests (seed s against seed s of the baseline) say
 * whether a configuration beats the baseline beyond seed noise.
 */
import type { SeedAggregate } from '../../../core/eval/significance';
import type { Comparison } from '../../../core/experiment/compare';
import { NOT_SIGNIFICANT, ppText, pValueText, SIGNIFICANT } from '../../util/compare';
import { num, pct } from '../../util/format';

const meanStd = (a: SeedAggregate | undefined, percent: boolean) =>
  !a ? '–' : percent ? `${pct(a.mean, 2)} ± ${(a.std * 100).toFixed(2)}` : `${num(a.mean, 2)} ± ${num(a.std, 2)}`;

/** Identical per-seed differences make t infinite; all-zero differences make it undefined. */
const tText = (t: number) => (Number.isNaN(t) ? '–' : Number.isFinite(t) ? t.toFixed(2) : t > 0 ? '∞' : '−∞');

export function SeedStudyView({ comparison }: { comparison: Comparison }) {
  const { seeds, rows } = comparison;
  const configOf = (run: string) => rows.find((r) => r.run === run)?.configName ?? run;
  const repeated = seeds.groups.some((g) => g.runs.length >= 2);
  return (
    <section className="card" aria-labelledby="compare-seeds-h" data-testid="compare-seeds">
      <h3 id="compare-seeds-h">Seed study</h3>
      {!repeated ? (
        <p className="muted">
          No configuration among these runs was trained with more than one seed. Train the same config with other seeds to see how much of a gap is seed noise.
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption>Mean ± sample standard deviation over the seeds of each configuration.</caption>
            <thead>
              <tr>
                <th scope="col">Configuration</th>
                <th scope="col">Model</th>
                <th scope="col">Seeds</th>
                <th scope="col" className="num">
                  Val. accuracy
                </th>
                <th scope="col" className="num">
                  Val. macro-F1
                </th>
                <th scope="col" className="num">
                  Train seconds
                </th>
              </tr>
            </thead>
            <tbody>
              {seeds.groups.map((g) => (
                <tr key={`${g.model}|${g.experimentHash}`} data-testid="compare-seed-group">
                  <th scope="row">{configOf(g.runs[0])}</th>
                  <td>{g.model}</td>
                  <td>{g.seeds.join(', ')}</td>
                  <td className="num">{meanStd(g.metrics['validation.accuracy'], true)}</td>
                  <td className="num">{meanStd(g.metrics['validation.macroF1'], true)}</td>
                  <td className="num">{meanStd(g.metrics['efficiency.trainSeconds'], false)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {seeds.tests.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="compare-seed-tests">
            <caption>
              Paired t-tests of validation accuracy against the baseline <strong>{seeds.baseline}</strong> over shared seeds, Bonferroni-adjusted.
            </caption>
            <thead>
              <tr>
                <th scope="col">Configuration</th>
                <th scope="col" className="num">
                  Seeds
                </th>
                <th scope="col" className="num">
                  Mean Δ
                </th>
                <th scope="col" className="num">
                  t (df)
                </th>
                <th scope="col" className="num">
                  p
                </th>
                <th scope="col" className="num">
                  Adjusted p
                </th>
                <th scope="col">At 0.05</th>
              </tr>
            </thead>
            <tbody>
              {seeds.tests.map((t) => (
                <tr key={t.experimentHash}>
                  <th scope="row">{t.configName}</th>
                  <td className="num">{t.n}</td>
                  <td className="num">{ppText(t.meanDiff, 2)}</td>
                  <td className="num">
                    {tText(t.t)} ({t.df})
                  </td>
                  <td className="num">{pValueText(t.pValue)}</td>
                  <td className="num">{pValueText(t.adjustedP)}</td>
                  <td className={t.significant ? 'compare-sig' : 'muted'}>{t.significant ? SIGNIFICANT : NOT_SIGNIFICANT}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        repeated && <p className="muted small">Paired t-tests need two configurations, each run with at least two of the same seeds.</p>
      )}
    </section>
  );
}
