import { describe, expect, it } from 'vitest';
import type { StorageItem } from '../../../core/lab/quota-api';
import { planFree, sortItems } from './free-plan';

const MB = 2 ** 20;
const item = (kind: StorageItem['kind'], id: string, mb: number, lastUsed: string, deletable = true): StorageItem => ({ kind, id, label: id, bytes: mb * MB, lastUsed, deletable });
const ITEMS = [
  item('dataset', 'ag', 30, '2026-11-01'),
  item('run', 'r-old', 5, '2026-11-02'),
  item('run', 'r-new', 8, '2026-11-20'),
  item('checkpoint', 'r-new#latest', 4, '2026-11-20'),
  item('base-model', 'hf:bert@b', 400, '2026-11-10'),
  item('base-model', 'hf:distil@a', 250, '2026-11-05'),
  item('base-model', 'hf:running@c', 100, '2026-11-01', false),
];

describe('freeing space', () => {
  it('evicts cached base models oldest first before anything that cannot be fetched again', () => {
    const p = planFree(ITEMS, 200 * MB);
    expect(p.items.map((i) => i.id)).toEqual(['hf:distil@a']);
    expect(p).toMatchObject({ bytes: 250 * MB, enough: true });
    expect(planFree(ITEMS, 651 * MB).items.map((i) => i.id)).toEqual(['hf:distil@a', 'hf:bert@b', 'r-new#latest']);
  });

  it('never picks what is not deletable, and says when all of it is not enough', () => {
    const p = planFree(ITEMS, 10_000 * MB);
    expect(p.items.map((i) => i.id)).not.toContain('hf:running@c');
    expect(p.items.map((i) => i.id)).toEqual(['hf:distil@a', 'hf:bert@b', 'r-new#latest', 'r-old', 'r-new', 'ag']);
    expect(p).toMatchObject({ bytes: 697 * MB, enough: false });
    expect(planFree(ITEMS, 0).items).toEqual([]);
  });

  it('sorts the table by any column, either way', () => {
    expect(
      sortItems(ITEMS, 'bytes', false)
        .map((i) => i.id)
        .slice(0, 2),
    ).toEqual(['hf:bert@b', 'hf:distil@a']);
    expect(sortItems(ITEMS, 'bytes', true)[0].id).toBe('r-new#latest');
    expect(sortItems(ITEMS, 'lastUsed', true)[0].lastUsed).toBe('2026-11-01');
    expect(sortItems(ITEMS, 'kind', true).map((i) => i.kind)).toEqual(['base-model', 'base-model', 'base-model', 'checkpoint', 'dataset', 'run', 'run']);
    expect(sortItems(ITEMS, 'label', false)[0].id).toBe('r-old');
  });
});
