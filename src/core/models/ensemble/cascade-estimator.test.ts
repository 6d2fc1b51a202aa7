import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../experiment/config';
import { TOY_CLASSES, toyExamples } from '../classical/fixtures';
import type { Estimator, ModelArtifact } from '../estimator';
import { createEstimator, loadEstimator } from '../registry';
import { runCascade } from './cascade';
import { CascadeEstimator } from './cascade-estimator';

const train = toyExamples(12);
const validation = toyExamples(6, 100);
const texts = toyExamples(5, 500).map((e) => e.text);

async function fitted(model: unknown): Promise<Estimator> {
  const e = createEstimator(parseExperimentConfig({ model }).model);
  await e.fit(train, { classes: TOY_CLASSES, seed: 7 });
  return e;
}

describe('CascadeEstimator', () => {
  it('answers each text from the first member sure enough, as chosen on validation', async () => {
    const cheap = await fitted({ type: 'tfidf-nb' });
    const strong = await fitted({ type: 'tfidf-logreg', C: 1 });
    const saved: Record<string, ModelArtifact> = { 'run:cheap': await cheap.save(), 'run:strong': await strong.save() };
    const c = new CascadeEstimator({ type: 'cascade', members: ['cheap', 'strong'], target: { maxEscalation: 0.5 }, secondsPer1000: [1, 10] });
    c.setMember('cheap', cheap);
    c.setMember('strong', strong);
    await c.fit(train, { classes: TOY_CLASSES, seed: 1, validation });
    expect(c.thresholds?.length).toBe(1);
    expect(c.choice!.chosen.escalation).toBeLessThanOrEqual(0.5);
    // The chosen point is what runCascade reports for those thresholds on validation.
    const vt = validation.map((e) => e.text);
    const stages = [
      { name: 'cheap', probs: await cheap.predictProba(vt), secondsPer1000: 1 },
      { name: 'strong', probs: await strong.predictProba(vt), secondsPer1000: 10 },
    ];
    expect(
      runCascade(
        stages,
        validation.map((e) => e.label),
        c.thresholds!,
      ),
    ).toEqual(c.choice!.chosen);
    // Prediction: a text keeps the cheap model's row when its top probability reaches the threshold.
    const t = c.thresholds![0];
    const pc = await cheap.predictProba(texts);
    const ps = await strong.predictProba(texts);
    const out = await c.predictProba(texts);
    out.forEach((row, i) => expect(Array.from(row)).toEqual(Array.from(t !== null && Math.max(...pc[i]) >= t ? pc[i] : ps[i])));
    // Saved with references only, reloaded through a resolver.
    const art = await c.save();
    expect(art.members?.map((m) => m.ref?.uri)).toEqual(['run:cheap', 'run:strong']);
    const again = CascadeEstimator.load(JSON.parse(JSON.stringify(art)));
    await again.resolveMembers(async (ref) => loadEstimator(saved[ref.uri]));
    expect(await again.predictProba(texts)).toEqual(out);
    c.dispose();
    again.dispose();
  });
});
