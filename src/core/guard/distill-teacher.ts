/**
 * The guard's rule for distillation: a student learns from its teacher's predictions on the
 * training texts only, so what the teacher itself learnt from decides whether the student's
 * validation scores still mean what they say. A teacher fitted on another dataset may have
 * seen these validation or test texts (block); one whose combination was fitted on this
 * validation split, or whose training data is unknown (an imported checkpoint), passes it
 * through (warn).
 */
import type { Finding } from './validate-config';

export interface TeacherFacts {
  run: string;
  /** The fingerprint of the dataset the teacher run was trained on. */
  fingerprint: string;
  /** How the teacher used this validation split, if it did (an ensemble's weights, a cascade's thresholds, a calibration map). */
  fittedOnValidation?: string;
  /** The teacher is a checkpoint imported as it was: what it was trained on is unknown. */
  imported?: boolean;
}

export function teacherFindings(t: TeacherFacts, student: { fingerprint: string }): Finding[] {
  const out: Finding[] = [];
  const rule = 'distillation-teacher' as const;
  if (t.fingerprint !== student.fingerprint)
    out.push({
      rule,
      severity: 'block',
      message: `The teacher ${t.run} was trained on another dataset (fingerprint ${t.fingerprint}, this one ${student.fingerprint}); it may have learnt from this dataset's validation or test texts, which would flatter the student's scores.`,
      saferAlternatives: [`--teacher: a run trained on this dataset`],
    });
  if (t.fittedOnValidation)
    out.push({
      rule,
      severity: 'warn',
      message: `The teacher ${t.run} fitted ${t.fittedOnValidation} on this validation split: through its predictions the student sees validation labels indirectly, so its validation accuracy is somewhat optimistic; judge it on the guarded test split.`,
      saferAlternatives: ['an ensemble with soft voting or stacking (fitted on train only) as the teacher'],
    });
  if (t.imported)
    out.push({
      rule,
      severity: 'warn',
      message: `The teacher ${t.run} is an imported checkpoint whose training data is unknown: if it saw this dataset's validation or test texts, the student inherits that.`,
      saferAlternatives: ['a teacher trained in this lab'],
    });
  return out;
}
