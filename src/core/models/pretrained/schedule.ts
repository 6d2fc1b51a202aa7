/**
 * Learning-rate schedules as transformers' get_scheduler defines them, as a multiplier of the
 * peak rate at a 0-based optimizer step (the value the step uses, i.e. before scheduler.step()).
 */

export type ScheduleKind = 'constant' | 'linear' | 'cosine';

export function lrFactor(kind: ScheduleKind, step: number, totalSteps: number, warmupSteps = 0): number {
  if (step < warmupSteps) return step / Math.max(1, warmupSteps);
  if (kind === 'constant') return 1;
  const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
  if (kind === 'linear') return Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
  return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
}
