import { describe, expect, it } from 'vitest';
import { ConfigError } from '../util/errors';
import { customScore, parseCustomScoreConfig } from './custom-score';

const classes = ['World', 'Sports', 'Business'];
// Same labels as the metrics test: World P=R=F1=1/2; Sports P=2/3 R=1 F1=0.8; Business P=1 R=1/2 F1=2/3.
const y = [0, 0, 1, 1, 2, 2];
const p = [0, 1, 1, 1, 2, 0];

describe('custom score', () => {
  it('matches the formula by hand', () => {
    const config = parseCustomScoreConfig({
      weights: { recall: { World: 2 }, f1: { Sports: 1, Business: 1 } },
      criticalConfusions: [{ from: 'Business', to: 'World', penalty: 0.5 }],
    });
    const r = customScore(y, p, classes, config);
    // weighted = (2·0.5 + 0.8 + 2/3) / 4 = 0.616667; Business->World rate = 1/2 -> factor exp(-0.25)
    const weighted = (2 * 0.5 + 0.8 + 2 / 3) / 4;
    expect(r.weighted).toBeCloseTo(weighted, 12);
    expect(r.confusions).toEqual([{ from: 'Business', to: 'World', penalty: 0.5, count: 1, rate: 0.5, factor: expect.closeTo(Math.exp(-0.25), 12) }]);
    expect(r.score).toBeCloseTo(weighted * Math.exp(-0.25), 12);
    expect(r.score).toBeCloseTo(0.48026, 5);
    expect(r.name).toBe('custom');
    expect(r.terms).toHaveLength(3);
  });
  it('with only F1 weights of 1 and no penalties it is macro F1', () => {
    const r = customScore(y, p, classes, parseCustomScoreConfig({ weights: { f1: { World: 1, Sports: 1, Business: 1 } } }));
    expect(r.score).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
    expect(r.penaltyFactor).toBe(1);
  });
  it('a confusion that never happens costs nothing; an absent from-class has rate 0', () => {
    const config = parseCustomScoreConfig({ weights: { precision: { Sports: 1 } }, criticalConfusions: [{ from: 'Sports', to: 'World', penalty: 3 }] });
    expect(customScore(y, p, classes, config).score).toBeCloseTo(2 / 3, 12);
    expect(customScore([0], [0], classes, config).confusions[0].rate).toBe(0);
  });
  it('rejects bad configs with the field path, and unknown classes at scoring time', () => {
    expect(() => parseCustomScoreConfig({ weights: { recall: { World: -1 } } })).toThrow(/weights\.recall\.World/);
    expect(() => parseCustomScoreConfig({ weights: { recall: { World: 0 } } })).toThrow(/at least one weight must be positive/);
    expect(() => parseCustomScoreConfig({ weights: { accuracy: { World: 1 } } })).toThrow(ConfigError);
    expect(() => parseCustomScoreConfig({ weights: { f1: { World: 1 } }, criticalConfusions: [{ from: 'World', to: 'Sports' }] })).toThrow(/criticalConfusions\.0\.penalty/);
    const config = parseCustomScoreConfig({ weights: { f1: { Politics: 1 } } });
    expect(() => customScore(y, p, classes, config)).toThrow(/unknown class "Politics"/);
  });
});
