import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../experiment/config';
import { validateConfig } from '../../guard/validate-config';
import { techniquesSchema } from './config';
import { techniqueRisks } from './risks';

describe('technique settings far outside their papers', () => {
  it('warn with a safer value; the defaults raise nothing', () => {
    expect(techniqueRisks(techniquesSchema.parse({ adversarial: {}, rdrop: {}, mixup: {}, focal: {}, curriculum: {} }))).toEqual([]);
    const risks = techniqueRisks(
      techniquesSchema.parse({
        adversarial: { method: 'pgd', epsilon: 20, alpha: 30 },
        rdrop: { alpha: 50 },
        mixup: { alpha: 4 },
        focal: { gamma: 8 },
        curriculum: { start: 0.05 },
      }),
    );
    expect(risks.map((r) => r.saferAlternatives[0])).toEqual([
      'model.train.techniques.adversarial.epsilon: 1',
      'model.train.techniques.adversarial.alpha: 6.7',
      'model.train.techniques.rdrop.alpha: 1',
      'model.train.techniques.mixup.alpha: 0.2',
      'model.train.techniques.focal.gamma: 2',
      'model.train.techniques.curriculum.start: 0.33',
    ]);
  });

  it("reach the guard's findings as warnings", () => {
    const config = parseExperimentConfig({ model: { type: 'textcnn', train: { techniques: { adversarial: { epsilon: 40 } } } } });
    const f = validateConfig(config, { train: 100_000, validation: 10_000, classes: 4 }).filter((x) => x.rule === 'techniques');
    expect(f).toEqual([expect.objectContaining({ severity: 'warn', value: 40, threshold: 5 })]);
  });
});
