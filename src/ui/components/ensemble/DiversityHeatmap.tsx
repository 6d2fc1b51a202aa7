/**
 * Pairwise diversity of the members on validation as a heat map, one measure at a time. Darker
 * cells are pairs that err differently (the ones an ensemble gains from), whichever way the
 * measure runs: high disagreement, low kappa, low Q, low double-fault.
 */
import { useId, useState } from 'react';
import type { EnsembleMemberInfo } from '../../../core/lab/ensemble-api';
import type { DiversityReport, PairDiversity } from '../../../core/models/ensemble/diversity';
import { num } from '../../util/format';

type Measure = keyof PairDiversity;

const MEASURES: { key: Measure; label: string; help: string; range: [number, number]; diverseHigh: boolean }[] = [
  { key: 'disagreement', label: 'disagreement', help: 'share of texts exactly one of the two gets right', range: [0, 1], diverseHigh: true },
  { key: 'kappa', label: "Cohen's kappa", help: 'agreement of the predicted labels beyond chance (1 = identical)', range: [-1, 1], diverseHigh: false },
  { key: 'q', label: "Yule's Q", help: 'right and wrong together (1) or apart (−1)', range: [-1, 1], diverseHigh: false },
  { key: 'doubleFault', label: 'double-fault', help: 'share of texts both get wrong', range: [0, 1], diverseHigh: false },
  { key: 'errorCorrelation', label: 'error correlation', help: 'correlation of the two members’ mistakes', range: [-1, 1], diverseHigh: false },
];

/** 0 (alike) to 1 (diverse) within the measure's range. */
function diversityShare(v: number, m: (typeof MEASURES)[number]): number {
  const [lo, hi] = m.range;
  const t = Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
  return m.diverseHigh ? t : 1 - t;
}

interface Props {
  members: EnsembleMemberInfo[];
  diversity: DiversityReport;
}

export function DiversityHeatmap({ members, diversity }: Props) {
  const id = useId();
  const [key, setKey] = useState<Measure>('disagreement');
  const m = MEASURES.find((x) => x.key === key)!;
  return (
    <figure className="chart ensemble-heatmap" data-testid="ensemble-heatmap" aria-label={`Pairwise ${m.label} of the members on validation`}>
      <figcaption>Diversity (validation)</figcaption>
      <div className="row small">
        <label htmlFor={`${id}-m`}>Measure</label>
        <select id={`${id}-m`} value={key} onChange={(e) => setKey(e.target.value as Measure)} className="compare-select" data-testid="ensemble-heatmap-measure">
          {MEASURES.map((x) => (
            <option key={x.key} value={x.key}>
              {x.label}
            </option>
          ))}
        </select>
        <span className="muted">{m.help}; darker = more diverse.</span>
      </div>
      <div className="table-wrap">
        <table className="ensemble-heat-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">member</span>
              </th>
              {members.map((x, j) => (
                <th key={x.runId} scope="col" className="num small" title={`${x.configName} ${x.runId}`}>
                  {j + 1}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {members.map((a, i) => (
              <tr key={a.runId}>
                <th scope="row" className="small">
                  {i + 1} · {a.configName}
                </th>
                {members.map((b, j) => {
                  if (i === j)
                    return (
                      <td key={b.runId} className="num ensemble-heat-self" aria-label="the same member">
                        ·
                      </td>
                    );
                  const v = diversity.pairs[i]?.[j]?.[key];
                  const finite = typeof v === 'number' && Number.isFinite(v);
                  const share = finite ? diversityShare(v, m) : 0;
                  return (
                    <td
                      key={b.runId}
                      data-testid="ensemble-heat-cell"
                      className={`num${share > 0.55 ? ' compare-heat-dark' : ''}`}
                      style={{ background: finite ? `rgba(124, 58, 237, ${Math.round(share * 85) / 100})` : undefined }}
                      title={`${a.configName} × ${b.configName}: ${m.label} ${finite ? num(v, 3) : 'undefined (a member is always right or always wrong)'}`}
                    >
                      {finite ? num(v, 3) : '–'}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
