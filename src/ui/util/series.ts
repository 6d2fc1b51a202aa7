/** Chart series: points capped by decimation so long runs stay cheap to render. */

export interface Point {
  x: number;
  y: number;
}

export interface Series {
  name: string;
  color: string;
  points: Point[];
  /** Draw dots (for sparse series such as per-epoch validation). */
  dots?: boolean;
  dashed?: boolean;
}

export const MAX_POINTS = 2000;

/** A capped, decimated buffer: keeps every `stride`-th point, doubling the stride when full. */
export interface Decimated<T> {
  items: T[];
  stride: number;
  seen: number;
}

export const emptyDecimated = <T>(): Decimated<T> => ({ items: [], stride: 1, seen: 0 });

/** Returns a new buffer (immutably) with `added` appended under the cap. */
export function appendDecimated<T>(buf: Decimated<T>, added: T[], cap = MAX_POINTS): Decimated<T> {
  if (added.length === 0) return buf;
  let { stride, seen } = buf;
  let items = buf.items.slice();
  for (const p of added) {
    if (seen % stride === 0) items.push(p);
    seen++;
    if (items.length > cap) {
      items = items.filter((_, i) => i % 2 === 0);
      stride *= 2;
    }
  }
  return { items, stride, seen };
}

/** Thins an existing array to at most `cap` points, keeping the last one. */
export function thin<T>(items: T[], cap = MAX_POINTS): T[] {
  if (items.length <= cap) return items;
  const step = Math.ceil(items.length / cap);
  const out = items.filter((_, i) => i % step === 0);
  if (out[out.length - 1] !== items[items.length - 1]) out.push(items[items.length - 1]);
  return out;
}

export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f'];

/**
 * Non-negative values (losses) are drawn from 0 up to a rounded maximum, so noise of a few
 * thousandths does not fill the chart and read as a trend; values that go negative keep the
 * chart's automatic range.
 */
export function valueDomain(series: Series[]): [number, number] | ['auto', 'auto'] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (const p of s.points)
      if (Number.isFinite(p.y)) {
        lo = Math.min(lo, p.y);
        hi = Math.max(hi, p.y);
      }
  if (!(hi >= lo) || lo < 0) return ['auto', 'auto'];
  if (hi === 0) return [0, 1];
  const magnitude = 10 ** Math.floor(Math.log10(hi));
  return [0, Math.ceil((hi * 1.05) / (magnitude / 2)) * (magnitude / 2)];
}

/**
 * A legend sorter that keeps the order the chart draws its series in (recharts sorts legend
 * items alphabetically by default, so "test, train, validation" sat under bars drawn train,
 * validation, test). Unknown names go last, alphabetically.
 */
export function legendOrder(names: string[]): (item: { value?: unknown }) => string {
  return (item) => {
    const k = names.indexOf(String(item.value));
    return k < 0 ? `~${String(item.value)}` : String(k).padStart(4, '0');
  };
}
