/** Learning-rate schedules: linear warm-up, then constant, linear or cosine decay to `minFactor`. */
export type ScheduleKind = 'constant' | 'linear' | 'cosine';

export function learningRate(step: number, total: number, base: number, kind: ScheduleKind, warmupSteps = 0, minFactor = 0): number {
  if (warmupSteps > 0 && step < warmupSteps) return (base * (step + 1)) / warmupSteps;
  if (kind === 'constant') return base;
  const span = Math.max(1, total - warmupSteps);
  const t = Math.min(1, Math.max(0, (step - warmupSteps) / span));
  const f = kind === 'linear' ? 1 - t : 0.5 * (1 + Math.cos(Math.PI * t));
  return base * (minFactor + (1 - minFactor) * f);
}
