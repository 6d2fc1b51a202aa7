/**
 * Durations as people type and read them: "90s", "30m", "2h", "1h30m", "1.5h" (a bare number
 * is minutes, the unit budgets are kept in), and back: "1h 30m".
 */
import { InputError } from '../util/errors';

const UNIT: Record<string, number> = { s: 1 / 60, m: 1, h: 60, d: 24 * 60 };
const PART = /(\d+(?:\.\d+)?)\s*([smhd])/g;

/** Minutes in `text`; `off`/`none` clear a budget (undefined). `flag` names the input in errors. */
export function parseDuration(text: string, flag: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === 'none') return undefined;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const compact = t.replace(/\s+/g, '');
  let minutes = 0;
  let matched = '';
  for (const m of compact.matchAll(PART)) {
    minutes += Number(m[1]) * UNIT[m[2]];
    matched += m[0];
  }
  if (!matched || matched !== compact) throw new InputError(`${flag} "${text}" is not a duration: use e.g. 90s, 30m, 2h, 1h30m (or off)`, { field: flag });
  return minutes;
}

/** Seconds as a short reading: "45s", "12m", "2h 5m", "3d 4h". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  return h % 24 ? `${Math.floor(h / 24)}d ${h % 24}h` : `${h / 24}d`;
}

/** A budget in minutes as the CLI takes it back: "30m", "2h", "1h30m". */
export function durationFlag(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)}s`;
  const m = Math.round(minutes);
  if (m < 60) return `${m}m`;
  return m % 60 ? `${Math.floor(m / 60)}h${m % 60}m` : `${m / 60}h`;
}
