/**
 * A sweep's jobs from its command line: `--grid model.C=0.5,1,2` (every combination of the
 * lists, repeatable), `--random N --space FILE` (N seeded draws from a search space), and
 * `--seeds K` (each point over K consecutive seeds). Every point is validated as a config here,
 * before anything is queued: a bad value fails the submission, not a worker.
 */
import { parseExperimentConfig, type ExperimentConfig } from '../../../core/experiment/config';
import { expandGrid, type Grid } from '../../../core/models/selection/grid-search';
import { samplePoints, type SearchSpace } from '../../../core/models/selection/random-search';
import { InputError } from '../../../core/util/errors';

export interface SweepPoint {
  params: Record<string, unknown>;
  config: ExperimentConfig;
  seed: number;
}

/** A scalar from the command line: numbers, booleans and null as JSON, anything else as text. */
function scalar(text: string): unknown {
  const t = text.trim();
  if (/^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)$/.test(t)) return JSON.parse(t);
  return t;
}

/** `--grid PATH=v1,v2,...` (repeatable) into one grid; a path given twice is refused. */
export function parseGrid(specs: string[]): Grid {
  const grid: Record<string, unknown[]> = {};
  for (const spec of specs) {
    const m = /^([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)=(.+)$/.exec(spec);
    if (!m) throw new InputError(`--grid ${spec}: expected PATH=v1,v2,... such as model.C=0.5,1,2`);
    if (m[1] in grid) throw new InputError(`--grid names ${m[1]} twice: give all its values in one list`);
    const values = m[2].split(',').map(scalar);
    if (values.some((v) => v === '')) throw new InputError(`--grid ${spec}: an empty value in the list`);
    grid[m[1]] = values;
  }
  return grid;
}

/** A search space file: each path maps to a list or to `{ "low", "high", "log"?, "int"? }`. */
export function parseSpace(text: string, file: string): SearchSpace {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`--space ${file}: not JSON (${(e as Error).message})`, { file });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`--space ${file}: expected an object of setting paths to distributions`, { file });
  for (const [path, d] of Object.entries(raw)) {
    const ok =
      (Array.isArray(d) && d.length > 0) ||
      (d &&
        typeof d === 'object' &&
        typeof (d as { low?: unknown }).low === 'number' &&
        typeof (d as { high?: unknown }).high === 'number' &&
        (d as { low: number }).low <= (d as { high: number }).high);
    if (!ok) throw new InputError(`--space ${file}: ${path} must be a non-empty list or { "low": a, "high": b } with a <= b`, { file, field: path });
    if (!Array.isArray(d) && (d as { log?: boolean }).log && !((d as { low: number }).low > 0))
      throw new InputError(`--space ${file}: ${path} is log-uniform, so its low must be > 0`, { file, field: path });
  }
  return raw as SearchSpace;
}

function setPath(obj: unknown, path: string[], value: unknown, full: string): unknown {
  if (path.length === 0) return value;
  if (obj !== undefined && (obj === null || typeof obj !== 'object' || Array.isArray(obj))) throw new InputError(`${full}: ${path[0]}'s parent is not an object in the config`);
  const o = (obj ?? {}) as Record<string, unknown>;
  return { ...o, [path[0]]: setPath(o[path[0]], path.slice(1), value, full) };
}

export interface SweepSpec {
  base: ExperimentConfig;
  grid?: Grid;
  random?: { n: number; space: SearchSpace };
  /** Repeats of each point over consecutive seeds from the base config's seed. */
  seeds: number;
}

/** Every (point, seed) of the sweep, each a validated config; the base alone when nothing varies. */
export function expandSweep(spec: SweepSpec): SweepPoint[] {
  if (!(Number.isInteger(spec.seeds) && spec.seeds >= 1)) throw new InputError(`--seeds must be a whole number >= 1, got ${spec.seeds}`);
  const gridPoints = spec.grid && Object.keys(spec.grid).length ? expandGrid(spec.grid) : [{}];
  if (spec.random && !(Number.isInteger(spec.random.n) && spec.random.n >= 1)) throw new InputError(`--random must be a whole number >= 1, got ${spec.random.n}`);
  const randomPoints = spec.random ? samplePoints(spec.random.space, spec.random.n, spec.base.seed) : [{}];
  const clash = spec.grid && spec.random ? Object.keys(spec.grid).find((k) => k in spec.random!.space) : undefined;
  if (clash) throw new InputError(`${clash} is in both --grid and --space: vary it in one of them`);
  const out: SweepPoint[] = [];
  for (const g of gridPoints)
    for (const r of randomPoints) {
      const params = { ...g, ...r };
      let raw: unknown = spec.base;
      for (const [k, v] of Object.entries(params)) raw = setPath(raw, k.split('.'), v, `--grid/--space ${k}`);
      const config = parseExperimentConfig(raw, `sweep point ${JSON.stringify(params)}`);
      for (let i = 0; i < spec.seeds; i++) out.push({ params, config: { ...config, seed: spec.base.seed + i }, seed: spec.base.seed + i });
    }
  return out;
}
