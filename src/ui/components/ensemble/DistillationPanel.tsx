/** A distilled run: its teacher, the loss mix, and the student against the teacher and against the same config trained alone. */
import { num, pct } from '../../util/format';
import { ppText } from '../../util/compare';
import type { DistillationInfo } from './ensemble-client';

export function DistillationPanel({ info, studentName }: { info: DistillationInfo; studentName: string }) {
  const gain = info.baseline ? info.studentAccuracy - info.baseline.accuracy : undefined;
  return (
    <section className="card" data-testid="distillation-panel" aria-label="Distillation">
      <h4>Distillation</h4>
      <dl className="result-grid">
        <dt>Teacher</dt>
        <dd>
          {info.teacher} · {pct(info.teacherAccuracy, 2)}
        </dd>
        <dt>Student</dt>
        <dd>
          {studentName} · {pct(info.studentAccuracy, 2)}
        </dd>
        <dt>Loss</dt>
        <dd>
          {num(info.alpha, 2)} × cross-entropy + {num(1 - info.alpha, 2)} × T² × KL, T = {num(info.temperature, 2)}
        </dd>
        <dt>Retention</dt>
        <dd data-testid="distillation-retention">{pct(info.retention, 1)} of the teacher's accuracy</dd>
        <dt>Gain over training alone</dt>
        <dd>
          {info.baseline
            ? `${ppText(gain, 2)} (alone: ${pct(info.baseline.accuracy, 2)}${info.baseline.runId ? `, ${info.baseline.runId}` : ''})`
            : 'no run of the same config without a teacher'}
        </dd>
      </dl>
    </section>
  );
}
