/**
 * The trials of a search as they finish: settings, state (a pruned trial says at which epoch),
 * validation accuracy and macro-F1, the accuracy at each epoch end, and time. The best is starred.
 */
import type { SearchTrialRecord } from '../../../core/lab/search-api';
import { pct, seconds } from '../../util/format';

const shown = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(3)) : v);

export function SearchTrialsTable({ trials, bestNumber }: { trials: SearchTrialRecord[]; bestNumber?: number }) {
  return (
    <table className="small grid-results" data-testid="search-trials">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Settings</th>
          <th scope="col">State</th>
          <th scope="col" className="num">
            Val. accuracy
          </th>
          <th scope="col" className="num">
            Val. macro-F1
          </th>
          <th scope="col">By epoch</th>
          <th scope="col" className="num">
            Time
          </th>
        </tr>
      </thead>
      <tbody>
        {trials.map((t) => {
          const best = t.number === bestNumber;
          return (
            <tr key={t.number} className={best ? 'better' : undefined} data-testid="search-trial" data-state={t.state}>
              <td>{t.number + 1}</td>
              <td>
                <code>{JSON.stringify(Object.fromEntries(Object.entries(t.params).map(([k, v]) => [k.replace(/^model\./, ''), shown(v)])))}</code>
                {best && ' ★'}
              </td>
              <td title={t.reason}>{t.state === 'pruned' ? `pruned at epoch ${t.intermediate.at(-1)?.step ?? '?'}` : t.state}</td>
              <td className="num">{t.state === 'complete' ? pct(t.value, 2) : t.value !== undefined ? `(${pct(t.value, 2)})` : '–'}</td>
              <td className="num">{pct(t.macroF1, 2)}</td>
              <td className="muted">{t.intermediate.map((i) => pct(i.value, 1)).join(' → ')}</td>
              <td className="num">{t.state === 'running' ? '…' : seconds(t.seconds)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
