/**
 * A search space: setting paths of an experiment config ("model.train.lr", "model.C",
 * "model.train.techniques.rdrop.alpha") mapped to a numeric range or a list of choices. The file
 * format is the sweep's: a list, or `{ "low", "high", "log"?, "int"? }`. Parsing checks the shape
 * only; whether each value makes a valid config is checked against the base config by the caller.
 */
import { ConfigError } from '../util/errors';

/** One searched setting, as the samplers see it. */
export type Dimension = { path: string; kind: 'float' | 'int'; low: number; high: number; log: boolean } | { path: string; kind: 'categorical'; choices: readonly unknown[] };

/** A trial's settings: path to value. */
export type Params = Record<string, unknown>;

const PATH = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;

function dimension(path: string, d: unknown, source: string): Dimension {
  const where = `${source}: ${path}`;
  if (!PATH.test(path)) throw new ConfigError(`${where}: not a setting path (dot-separated names such as "model.train.lr")`);
  if (Array.isArray(d)) {
    if (d.length === 0) throw new ConfigError(`${where}: the list of choices is empty`);
    const seen = new Set(d.map((v) => JSON.stringify(v)));
    if (seen.size !== d.length) throw new ConfigError(`${where}: a choice is listed twice`);
    return { path, kind: 'categorical', choices: d };
  }
  if (!d || typeof d !== 'object') throw new ConfigError(`${where}: expected a list of choices or { "low": a, "high": b }`);
  const r = d as Record<string, unknown>;
  const extra = Object.keys(r).filter((k) => !['low', 'high', 'log', 'int'].includes(k));
  if (extra.length) throw new ConfigError(`${where}: unknown key "${extra[0]}" (a range takes low, high, log, int)`);
  const { low, high } = r;
  if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high))
    throw new ConfigError(`${where}: low and high must be finite numbers`);
  if (!(low < high)) throw new ConfigError(`${where}: low (${low}) must be below high (${high}); a fixed value belongs in the config`);
  for (const k of ['log', 'int'] as const) if (r[k] !== undefined && typeof r[k] !== 'boolean') throw new ConfigError(`${where}: ${k} must be true or false`);
  const log = r.log === true;
  const int = r.int === true;
  if (log && !(low > 0)) throw new ConfigError(`${where}: a log range needs low > 0 (got ${low})`);
  if (int && !(Number.isInteger(low) && Number.isInteger(high))) throw new ConfigError(`${where}: an int range needs whole-number low and high`);
  return { path, kind: int ? 'int' : 'float', low, high, log };
}

/** The dimensions of a space object (`--space` file, the page's editor), in key order. */
export function parseSpace(raw: unknown, source = 'space'): Dimension[] {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${source}: expected an object of setting paths to ranges or lists`);
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) throw new ConfigError(`${source}: the space is empty; give at least one setting to search`);
  const dims = entries.map(([path, d]) => dimension(path, d, source));
  const paths = dims.map((d) => d.path);
  // "model.train" and "model.train.lr" would overwrite one another in the config.
  for (const p of paths) {
    const parent = paths.find((q) => p.startsWith(q + '.'));
    if (parent) throw new ConfigError(`${source}: ${p} lies inside ${parent}; search one or the other`);
  }
  return dims;
}

/** The values worth checking against a config before any trial: both ends of a range, every choice. */
export function probeValues(d: Dimension): unknown[] {
  return d.kind === 'categorical' ? [...d.choices] : [d.low, d.high];
}

function setPath(obj: unknown, keys: string[], value: unknown, full: string): unknown {
  if (keys.length === 0) return value;
  if (obj !== undefined && (obj === null || typeof obj !== 'object' || Array.isArray(obj)))
    throw new ConfigError(`${full}: "${keys[0]}" would go inside a value that is not an object in the config`);
  const o = (obj ?? {}) as Record<string, unknown>;
  return { ...o, [keys[0]]: setPath(o[keys[0]], keys.slice(1), value, full) };
}

/** A copy of `config` with each param set at its path (missing objects on the way are created). */
export function withParams(config: unknown, params: Params): unknown {
  let out = config;
  for (const [path, v] of Object.entries(params)) out = setPath(out, path.split('.'), v, path);
  return out;
}
