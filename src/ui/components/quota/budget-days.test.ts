import { describe, expect, it } from 'vitest';
import { lastDays } from './BudgetPanel';

describe('budget history by day', () => {
  it('gives the last n UTC days up to today, oldest first, with 0 for days nothing trained', () => {
    const now = Date.parse('2026-11-30T05:00:00Z');
    const days = lastDays(
      [
        { day: '2026-11-10', seconds: 99 },
        { day: '2026-11-28', seconds: 40 },
        { day: '2026-11-30', seconds: 12 },
      ],
      3,
      now,
    );
    expect(days).toEqual([
      { day: '2026-11-28', seconds: 40 },
      { day: '2026-11-29', seconds: 0 },
      { day: '2026-11-30', seconds: 12 },
    ]);
    expect(lastDays([], 14, now)).toHaveLength(14);
    expect(lastDays([], 14, now).at(-1)!.day).toBe('2026-11-30');
  });
});
