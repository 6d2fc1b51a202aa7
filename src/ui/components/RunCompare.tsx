/** Two runs side by side: overlaid validation curves and their result fields. */
import { useMemo } from 'react';
import type { RunDetail } from '../../core/lab/api';
import { formatBytes, int, num, pct, seconds, shortFingerprint } from '../util/format';
import { validationPoints } from '../util/metrics';
import { PALETTE, type Series } from '../util/series';
import { CurveChart } from './CurveChart';

interface Field {
  label: string;
  value: (r: RunDetail) => string;
  /** For numbers where one run is better: higher or lower wins. */
  better?: { of: (r: RunDetail) => number | undefined; higher: boolean };
}

const FIELDS: Field[] = [
  { label: 'Run', value: (r) => r.runId },
  { label: 'Config', value: (r) => r.configName },
  { label: 'Model', value: (r) => `${r.model}${r.result ? ` (${r.result.family})` : ''}` },
  { label: 'Status', value: (r) => r.status },
  { label: 'Backend', value: (r) => r.result?.backend ?? '–' },
  { label: 'Seed', value: (r) => (r.result ? String(r.result.seed) : '–') },
  { label: 'Data fingerprint', value: (r) => shortFingerprint(r.result?.data?.fingerprint) },
  { label: 'Train / validation', value: (r) => (r.result ? `${int(r.result.data.train)} / ${int(r.result.data.validation)}` : '–') },
  {
    label: 'Validation accuracy',
    value: (r) => pct(r.result?.validation?.accuracy, 2),
    better: { of: (r) => r.result?.validation?.accuracy, higher: true },
  },
  {
    label: 'Validation macro-F1',
    value: (r) => pct(r.result?.validation?.macroF1, 2),
    better: { of: (r) => r.result?.validation?.macroF1, higher: true },
  },
  {
    label: 'Validation loss',
    value: (r) => num(r.result?.validation?.loss, 4),
    better: { of: (r) => r.result?.validation?.loss, higher: false },
  },
  { label: 'Epochs', value: (r) => (r.result ? `${r.result.epochs}${r.result.stoppedEarly ? ` (stopped: ${r.result.stoppedEarly})` : ''}` : '–') },
  {
    label: 'Train time',
    value: (r) => seconds(r.result?.timings?.trainSeconds),
    better: { of: (r) => r.result?.timings?.trainSeconds, higher: false },
  },
  { label: 'Total time', value: (r) => seconds(r.result?.timings?.totalSeconds) },
  { label: 'Model size', value: (r) => formatBytes(r.result?.modelBytes), better: { of: (r) => r.result?.modelBytes, higher: false } },
  { label: 'Parameters', value: (r) => int(r.result?.parameters) },
];

function winner(f: Field, a: RunDetail, b: RunDetail): 0 | 1 | undefined {
  if (!f.better) return undefined;
  const x = f.better.of(a);
  const y = f.better.of(b);
  if (x === undefined || y === undefined || x === y) return undefined;
  return (x > y) === f.better.higher ? 0 : 1;
}

export function RunCompare({ runs }: { runs: [RunDetail, RunDetail] }) {
  const label = (r: RunDetail, i: number) => `${i === 0 ? 'A' : 'B'}: ${r.configName}`;
  const acc = useMemo<Series[]>(
    () => runs.map((r, i) => ({ name: `${label(r, i)} accuracy`, color: PALETTE[i], points: validationPoints(r.metrics, 'accuracy'), dots: true })),
    [runs],
  );
  const loss = useMemo<Series[]>(
    () => runs.map((r, i) => ({ name: `${label(r, i)} loss`, color: PALETTE[i], points: validationPoints(r.metrics, 'loss'), dots: true })),
    [runs],
  );
  return (
    <section className="card compare" data-testid="run-compare" aria-label="Compare runs">
      <h3>Compare runs</h3>
      <div className="charts">
        <CurveChart title="Validation accuracy" series={acc} testId="compare-chart-accuracy" yDomain={[0, 1]} percent />
        <CurveChart title="Validation loss" series={loss} testId="compare-chart-loss" />
      </div>
      <div className="table-wrap">
        <table className="compare-table" data-testid="compare-table">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">A</th>
              <th scope="col">B</th>
            </tr>
          </thead>
          <tbody>
            {FIELDS.map((f) => {
              const w = winner(f, runs[0], runs[1]);
              return (
                <tr key={f.label}>
                  <th scope="row">{f.label}</th>
                  {runs.map((r, i) => (
                    <td key={r.runId} className={w === i ? 'better' : undefined}>
                      {f.value(r)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
