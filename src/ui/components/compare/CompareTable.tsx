/** One row per run: what it is, how good (with intervals) and what it costs; best values marked. */
import { useMemo, useState } from 'react';
import type { CompareEntry } from '../../../core/experiment/compare';
import { bestIndices, type RunLabel } from '../../util/compare';
import { COLUMNS } from './columns';

interface Props {
  entries: CompareEntry[];
  labels: Map<string, RunLabel>;
}

export function CompareTable({ entries, labels }: Props) {
  const best = useMemo(() => new Map(COLUMNS.map((c) => [c.key, c.better ? bestIndices(entries.map(c.better.of), c.better.higher) : new Set<number>()])), [entries]);
  // All columns by default; the table scrolls inside its box, and the chooser narrows it.
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const shown = COLUMNS.filter((c) => !hidden.has(c.key));
  const toggle = (key: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return (
    <>
      <details className="column-chooser" data-testid="compare-columns">
        <summary>
          Columns ({shown.length} of {COLUMNS.length} shown)
        </summary>
        <div className="row small">
          {COLUMNS.map((c) => (
            <label key={c.key}>
              <input type="checkbox" checked={!hidden.has(c.key)} onChange={() => toggle(c.key)} /> {c.label}
            </label>
          ))}
        </div>
      </details>
      <div className="table-wrap">
        <table className="compare-runs" data-testid="compare-table">
          <caption>
            Runs side by side. Brackets are bootstrap 95% intervals on the validation split; the best value of each column is <span className="compare-best">bold green ▲</span>.
          </caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              {shown.map((c) => (
                <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined} title={c.help}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {entries.map((e, i) => {
              const label = labels.get(e.runId);
              return (
                <tr key={e.runId} data-testid="compare-row" data-run-id={e.runId}>
                  <th scope="row">
                    <span className="compare-swatch" style={{ background: label?.color }} aria-hidden="true" />
                    {label?.name ?? e.configName}
                  </th>
                  {shown.map((c) => {
                    const isBest = best.get(c.key)?.has(i);
                    return (
                      <td key={c.key} className={[c.numeric ? 'num' : '', isBest ? 'compare-best' : ''].join(' ').trim() || undefined}>
                        {isBest && (
                          <>
                            <span aria-hidden="true">▲ </span>
                            <span className="visually-hidden">best: </span>
                          </>
                        )}
                        {c.cell(e)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
