/** A distilled run: its teacher, the loss mix, and the student against the teacher and against the same config trained alone. */
import { num, pct } from '../../util/format';
import { ppText } from '../../util/compare';
import type { DistillRecord } from '../../../core/experiment/result';

interface Props {
  info: DistillRecord;
  studentName: string;
  /** The student's own validation accuracy. */
  studentAccuracy?: number;
}

export function DistillationPanel({ info, studentName, studentAccuracy }: Props) {
  return (
    <section className="card" data-testid="distillation-panel" aria-label="Distillation">
      <h4>Distillation</h4>
      <dl className="result-grid">
        <dt>Teacher</dt>
        <dd>
          {info.teacher}
          {info.teacherModel && <span className="muted"> ({info.teacherModel})</span>} · {pct(info.teacherAccuracy, 2)}
        </dd>
        <dt>Student</dt>
        <dd>
          {studentName} · {pct(studentAccuracy, 2)}
        </dd>
        <dt>Loss</dt>
        <dd>
          {num(info.alpha, 2)} × cross-entropy + {num(1 - info.alpha, 2)} × T² × KL(teacher ‖ student), T = {num(info.temperature, 2)}
        </dd>
        <dt>Retention</dt>
        <dd data-testid="distillation-retention">{pct(info.retention, 1)} of the teacher's accuracy</dd>
        <dt>Gain over training alone</dt>
        <dd data-testid="distillation-gain">
          {info.baseline
            ? `${ppText(info.baseline.gain, 2)} (the same config without a teacher: ${pct(info.baseline.accuracy, 2)}, ${info.baseline.run})`
            : 'not measured: no run of the same config without a teacher'}
        </dd>
      </dl>
    </section>
  );
}
