/**
 * What the live view says about a training run's progress: phase, step of total, epoch of
 * total, speed and time left. The time left is measured from the first step seen, so set-up
 * (dictionary, backend start) does not count as training speed.
 */

export interface TrainProgress {
  step: number;
  totalSteps?: number;
  epoch: number;
  totalEpochs?: number;
  examplesPerSec: number;
  /** Wall-clock ms and step of the first step event: the origin of the rate behind the ETA. */
  firstAt: number;
  firstStep: number;
  /** Wall-clock ms of the latest step event. */
  at: number;
}

/** Seconds left at the average rate since the first step; undefined until two steps are seen. */
export function etaSeconds(p: TrainProgress): number | undefined {
  if (!p.totalSteps || p.step <= p.firstStep || p.at <= p.firstAt) return undefined;
  const perStep = (p.at - p.firstAt) / 1000 / (p.step - p.firstStep);
  return Math.max(0, (p.totalSteps - p.step) * perStep);
}

/** "about 2 min 5 s left" style: coarse enough not to flicker at every update. */
export function durationText(s: number): string {
  if (s < 1) return 'under a second';
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const r = Math.round((s - m * 60) / 5) * 5;
    return r === 0 || r === 60 ? `${m + (r === 60 ? 1 : 0)} min` : `${m} min ${r} s`;
  }
  const h = Math.floor(s / 3600);
  return `${h} h ${Math.round((s - h * 3600) / 60)} min`;
}

/** One line: "epoch 2 of 5 · step 340 of 1,000 (34%) · 1,234 examples/s · about 1 min 20 s left". */
export function progressText(p: TrainProgress): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const parts = [p.totalEpochs ? `epoch ${p.epoch} of ${p.totalEpochs}` : `epoch ${p.epoch}`];
  parts.push(p.totalSteps ? `step ${n(p.step)} of ${n(p.totalSteps)} (${Math.round((100 * p.step) / p.totalSteps)}%)` : `step ${n(p.step)}`);
  parts.push(`${n(p.examplesPerSec)} examples/s`);
  const eta = etaSeconds(p);
  parts.push(eta === undefined ? 'time left: measuring…' : `about ${durationText(eta)} left`);
  return parts.join(' · ');
}

/** The epochs a config asks for, when it says (`model.train.epochs`, or `model.epochs` for SGD). */
export function configEpochs(config: unknown): number | undefined {
  const model = (config as { model?: { epochs?: unknown; train?: { epochs?: unknown } } } | undefined)?.model;
  const e = model?.train?.epochs ?? model?.epochs;
  return typeof e === 'number' && e > 0 ? e : undefined;
}
