/**
 * Example texts as people read them: AG News's feed artefacts decoded (`#39;s` is "'s",
 * `quot;` a quote, `&lt;b&gt;` a tag to drop) by the same clean-up the models use, spaces
 * collapsed, and a long text cut at a word boundary rather than mid-word.
 */
import { normalizeText } from '../../core/text/normalize';

export function displayText(raw: string, max = Infinity): string {
  const text = normalizeText(raw, { lowercase: false }).replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  // Back to the last space, unless that throws away most of the text (one very long word).
  const space = cut.lastIndexOf(' ');
  const end = space >= max * 0.6 ? space : max;
  return `${text.slice(0, end).replace(/[\s,;:.-]+$/, '')}…`;
}
