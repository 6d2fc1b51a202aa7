/** The gain over the best member on validation: the paired bootstrap interval of the difference and McNemar's p. */
import type { EnsembleReport } from '../../../core/lab/ensemble-api';
import { NOT_SIGNIFICANT, SIGNIFICANT, pValueText, ppCiText, ppText } from '../../util/compare';

export function GainCard({ report }: { report: EnsembleReport }) {
  const { gain } = report;
  if (!gain) return null;
  const over = report.members.find((m) => m.runId === gain.over);
  // Significant only when both tests agree: the interval excludes zero and McNemar's p is below 0.05.
  const significant = gain.mcnemarP < 0.05 && (gain.interval[0] > 0 || gain.interval[1] < 0);
  return (
    <section className="card ensemble-gain" data-testid="ensemble-gain" aria-label="Gain over the best member">
      <h4>Gain over the best member (validation)</h4>
      <p className="ensemble-gain-figure">
        <strong data-testid="ensemble-gain-delta">{ppText(gain.delta, 2)}</strong> <span className="muted">{ppCiText(gain.interval, 2)}</span>{' '}
        <span className={significant ? 'compare-sig' : 'muted'}>{significant ? SIGNIFICANT : NOT_SIGNIFICANT}</span>
      </p>
      <p className="small">
        Against {over ? `${over.configName} (${over.runId})` : gain.over}: 95% paired bootstrap interval of the difference, McNemar p ={' '}
        <span data-testid="ensemble-gain-p">{pValueText(gain.mcnemarP)}</span>. Whatever was fitted on validation (
        {report.kind === 'cascade' ? 'the thresholds' : 'weights, selection, calibration'}) makes this figure optimistic: the guarded test evaluation below is the honest one.
      </p>
    </section>
  );
}
