import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../core/experiment/config';
import { expandSweep, parseGrid, parseSpace } from './expand';
import { canonicalJson, runFolderName, trainJobId } from './job';

const base = parseConfigText(JSON.stringify({ name: 'nb', seed: 7, model: { type: 'tfidf-nb' } }));

describe('sweep expansion', () => {
  it('crosses grid lists and seeds, each point a validated config with its seed', () => {
    const points = expandSweep({ base, grid: parseGrid(['model.alpha=0.5,1', 'model.fitPrior=true,false']), seeds: 2 });
    expect(points).toHaveLength(8);
    expect(points.map((p) => p.seed)).toEqual([7, 8, 7, 8, 7, 8, 7, 8]);
    expect(points[2]).toMatchObject({ params: { 'model.alpha': 0.5, 'model.fitPrior': false }, seed: 7 });
    expect((points[2].config.model as { alpha: number }).alpha).toBe(0.5);
    expect(points[3].config.seed).toBe(8);
  });

  it('draws the same random points for the same config seed, and others for another', () => {
    const space = parseSpace(JSON.stringify({ 'model.alpha': { low: 0.01, high: 10, log: true } }), 'space.json');
    const a = expandSweep({ base, random: { n: 3, space }, seeds: 1 }).map((p) => p.params['model.alpha']);
    const b = expandSweep({ base, random: { n: 3, space }, seeds: 1 }).map((p) => p.params['model.alpha']);
    const c = expandSweep({ base: { ...base, seed: 8 }, random: { n: 3, space }, seeds: 1 }).map((p) => p.params['model.alpha']);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    for (const x of a as number[]) expect(x >= 0.01 && x <= 10).toBe(true);
  });

  it('refuses bad input with the flag and the reason', () => {
    expect(() => parseGrid(['alpha'])).toThrow(/--grid alpha: expected PATH=v1,v2/);
    expect(() => parseGrid(['model.alpha=1', 'model.alpha=2'])).toThrow(/names model.alpha twice/);
    expect(() => parseSpace('{"model.alpha": {"low": 0, "high": 1, "log": true}}', 's.json')).toThrow(/log-uniform, so its low must be > 0/);
    expect(() => parseSpace('[1]', 's.json')).toThrow(/expected an object/);
    expect(() => expandSweep({ base, grid: parseGrid(['model.alpha=-1']), seeds: 1 })).toThrow(/not a valid experiment config/);
    expect(() => expandSweep({ base, seeds: 0 })).toThrow(/--seeds must be a whole number >= 1/);
  });
});

describe('job identity', () => {
  it('names a (sweep, config, seed) the same however its keys are ordered, and apart from any other', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: null } })).toBe('{"a":{"c":null,"d":[1,2]},"b":1}');
    expect(trainJobId('s', { a: 1, b: 2 }, 1)).toBe(trainJobId('s', { b: 2, a: 1 }, 1));
    expect(trainJobId('s', { a: 1 }, 1)).not.toBe(trainJobId('s', { a: 1 }, 2));
    expect(trainJobId('s', { a: 1 }, 1)).not.toBe(trainJobId('t', { a: 1 }, 1));
    expect(trainJobId('s', { a: 1 }, 1)).not.toMatch(/:/);
  });

  it('gives run folders readable, distinct names', () => {
    expect(runFolderName({ 'model.C': 0.5, 'model.vectorizer.word.ngramMax': 2 }, 3)).toBe('C=0.5,vectorizer.word.ngramMax=2,seed-3');
    expect(runFolderName({}, 1)).toBe('seed-1');
    expect(runFolderName({ 'model.alpha': 0.1 + 0.2 }, 1)).toBe('alpha=0.3,seed-1');
    const long = (v: string) => runFolderName({ 'model.name': `${'x'.repeat(90)}${v}` }, 1);
    expect(long('a')).not.toBe(long('b'));
    expect(long('a').length).toBeLessThan(100);
  });
});
