import { describe, expect, it } from 'vitest';
import { importDataset } from './import';

const enc = new TextEncoder();
const file = (name: string, text: string) => ({ name, bytes: enc.encode(text) });
const rows = (n: number, label: (i: number) => number, off = 0) =>
  Array.from({ length: n }, (_, i) => `"${label(i) + 1}","title ${i + off}","words about story ${i + off}"`).join('\n') + '\n';
const agnews = (train: string, test: string, classes = 'A\nB\nC\n') => ({
  kind: 'agnews' as const,
  files: [file('classes.txt', classes), file('train.csv', train), file('test.csv', test)],
});

describe('degenerate data is refused or warned about at import', () => {
  it('refuses a train file with a single class', async () => {
    await expect(
      importDataset(
        agnews(
          rows(200, () => 1),
          rows(30, (i) => i % 3, 1000),
        ),
      ),
    ).rejects.toThrow(/every training example has the same class \("B"\)/);
  });

  it('refuses a validation split left empty by overlap removal', async () => {
    // Train rows are the test rows plus one: removing the overlap leaves one row per class at most.
    const test = rows(30, (i) => i % 3);
    const train = rows(30, (i) => i % 3) + rows(2, (i) => i % 2, 500);
    await expect(importDataset(agnews(train, test))).rejects.toThrow(
      /the validation split is empty: 2 train row\(s\) are left after dropping 30 duplicate or test-overlapping row\(s\)/,
    );
  });

  it('warns about classes with no examples and splits with one class', async () => {
    const d = await importDataset(
      agnews(
        rows(120, (i) => i % 2),
        rows(20, () => 0, 1000),
        'A\nB\nC\n',
      ),
    );
    const messages = d.meta.report.warnings.map((w) => w.message);
    expect(messages).toContain('class(es) with no training examples: "C"');
    expect(messages).toContain('the test split holds only one class ("A"): test scores will say little');
  });

  it('refuses a NUL byte in a text, naming the line', async () => {
    const train = rows(60, (i) => i % 3).replace('words about story 7', 'words about\u0000story 7');
    await expect(
      importDataset(
        agnews(
          train,
          rows(9, (i) => i % 3, 1000),
        ),
      ),
    ).rejects.toThrow(/train\.csv.*line 8.*NUL byte/);
  });
});
