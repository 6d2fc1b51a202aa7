import { describe, expect, it } from 'vitest';
import { displayText } from './text';

describe('displayText', () => {
  it("decodes AG News's entity artefacts and drops escaped tags for display, keeping case", () => {
    expect(displayText('Wall St. Bears Claw Back Into the Black (Reuters) Reuters - Short-sellers, Wall Street #39;s dwindling quot;band quot;')).toBe(
      'Wall St. Bears Claw Back Into the Black (Reuters) Reuters - Short-sellers, Wall Street\'s dwindling "band "',
    );
    expect(displayText('Oil &lt;b&gt;prices&lt;/b&gt; rise &amp; fall')).toBe('Oil prices rise & fall');
  });

  it('cuts long texts at a word boundary', () => {
    const t = 'Stocks slide as oil climbs to a record high in late trading';
    expect(displayText(t, 30)).toBe('Stocks slide as oil climbs to…');
    expect(displayText(t, 200)).toBe(t);
    expect(displayText('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}…`);
  });
});
