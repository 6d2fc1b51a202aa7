import { describe, expect, it } from 'vitest';
import type { SourceFile } from './request';
import { InputError } from '../util/errors';
import { agNewsText } from './agnews';
import { ImportError } from './errors';
import { importDataset } from './import';

const file = (name: string, text: string): SourceFile => ({ name, bytes: new TextEncoder().encode(text) });
const CLASSES = file('classes.txt', 'World\nSports\nBusiness\nSci/Tech\n');
const row = (label: number | string, title: string, desc: string) => `"${label}","${title}","${desc}"\n`;

/** Train rows with several per class so splits have room. */
function trainText(extra = ''): string {
  let out = '';
  for (let k = 0; k < 20; k++) out += row((k % 4) + 1, `Title ${k}`, `Description number ${k}`);
  return out + extra;
}

async function failure(files: SourceFile[]): Promise<ImportError> {
  try {
    await importDataset({ kind: 'agnews', files });
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toBeInstanceOf(InputError);
    return err as ImportError;
  }
  throw new Error('import did not fail');
}

describe('agNewsText', () => {
  it('joins title and description and turns literal \\n into spaces', () => {
    expect(agNewsText('Title', 'one\\ntwo\\n')).toBe('Title one two');
    expect(agNewsText('', '  only description ')).toBe('only description');
  });
});

describe('AG News import', () => {
  it('imports the layout with ids from source lines and 0-based labels', async () => {
    const train = trainText(row(2, 'He said ""hi""', 'line\\nbreak'));
    const test = row(1, 'Test one', 'x') + row(4, 'Test two', 'y');
    const d = await importDataset({ kind: 'agnews', files: [CLASSES, file('train.csv', train), file('test.csv', test)], validationFraction: 0.25, seed: 1 });
    expect(d.meta.classes).toEqual(['World', 'Sports', 'Business', 'Sci/Tech']);
    expect(d.train.length + d.validation.length).toBe(21);
    expect(d.test).toEqual([
      { id: 'test:1', text: 'Test one x', label: 0 },
      { id: 'test:2', text: 'Test two y', label: 3 },
    ]);
    const quoted = [...d.train, ...d.validation].find((e) => e.id === 'train:21');
    expect(quoted).toEqual({ id: 'train:21', text: 'He said "hi" line break', label: 1 });
    expect(d.meta.report.errorCount).toBe(0);
    expect(d.meta.report.files).toEqual([
      { name: 'classes.txt', rows: 4, bytes: CLASSES.bytes.length },
      { name: 'train.csv', rows: 21, bytes: new TextEncoder().encode(train).length },
      { name: 'test.csv', rows: 2, bytes: new TextEncoder().encode(test).length },
    ]);
    expect(d.meta.id).toMatch(/^ds-[0-9a-f]{12}$/);
    expect(d.meta.source).toBe('agnews: classes.txt, train.csv, test.csv');
  });

  it('allows a missing test.csv (empty test split)', async () => {
    const d = await importDataset({ kind: 'agnews', files: [CLASSES, file('ag/train.csv', trainText())] });
    expect(d.test).toEqual([]);
    expect(d.meta.sizes.test).toBe(0);
  });

  it('fails on an unknown label with file, line and the class count', async () => {
    const err = await failure([CLASSES, file('train.csv', trainText() + row(2, 'a', 'b') + row(7, 'Bad', 'label'))]);
    expect(err.message).toBe('train.csv line 22: label "7" is not one of 1..4 (classes.txt has 4 classes)');
    expect(err.where).toEqual({ file: 'train.csv', line: 22, field: 'label' });
    expect(err.report.unknownLabels).toBe(1);
    expect((err.details as { report: unknown }).report).toBe(err.report);
  });

  it('fails on a missing label, a wrong column count and an empty text, each with its line', async () => {
    const bad = row('', 'no', 'label') + '"1","two columns"\n' + row(3, '', '  ') + row(2, ' ', '\\n');
    const err = await failure([CLASSES, file('train.csv', trainText(bad))]);
    expect(err.report.errors).toEqual([
      { file: 'train.csv', line: 21, field: 'label', message: 'label is missing (expected an integer 1..N)' },
      { file: 'train.csv', line: 22, message: 'expected 3 columns (label, title, description), found 2' },
      { file: 'train.csv', line: 23, field: 'text', message: 'empty text (title and description are both blank)' },
      { file: 'train.csv', line: 24, field: 'text', message: 'empty text (title and description are both blank)' },
    ]);
    expect(err.report.errorCount).toBe(4);
    expect(err.report.emptyTexts).toBe(2);
    expect(err.message).toBe('train.csv line 21: label is missing (expected an integer 1..N) (and 3 more errors)');
  });

  it('reports errors in test.csv with test.csv line numbers', async () => {
    const err = await failure([CLASSES, file('train.csv', trainText()), file('test.csv', row(1, 'a', 'b') + row(0, 'c', 'd'))]);
    expect(err.message).toBe('test.csv line 2: label "0" is not one of 1..4 (classes.txt has 4 classes)');
  });

  it('fails on invalid UTF-8 with the line of the bad byte', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(trainText() + '"1","caf'), 0xe9, ...new TextEncoder().encode('","x"\n')]);
    const err = await failure([CLASSES, { name: 'train.csv', bytes }]);
    expect(err.report.errors[0]).toMatchObject({ file: 'train.csv', line: 21 });
    expect(err.message).toMatch(/^train\.csv line 21: invalid UTF-8 \(byte 0xE9 at byte offset \d+\)/);
  });

  it('fails on missing required files', async () => {
    const err = await failure([file('test.csv', row(1, 'a', 'b'))]);
    expect(err.report.errors.map((e) => e.message)).toEqual([
      'required file classes.txt is missing (files given: test.csv)',
      'required file train.csv is missing (files given: test.csv)',
    ]);
  });

  it('fails on bad classes.txt lines', async () => {
    const err = await failure([file('classes.txt', 'A\n\nA\n'), file('train.csv', trainText())]);
    expect(err.report.errors.slice(0, 2)).toEqual([
      { file: 'classes.txt', line: 2, message: 'empty class name (one name per line; line order = label 1..N)' },
      { file: 'classes.txt', line: 3, message: 'class "A" repeats line 1' },
    ]);
  });

  it('caps the listed errors at 100 but counts them all', async () => {
    let bad = '';
    for (let k = 0; k < 250; k++) bad += row(9, 'x', 'y');
    const err = await failure([CLASSES, file('train.csv', trainText(bad))]);
    expect(err.report.errors).toHaveLength(100);
    expect(err.report.errorCount).toBe(250);
    expect(err.report.unknownLabels).toBe(250);
    expect(err.message).toContain('(and 249 more errors)');
  });

  it('counts duplicates, conflicts and train/test overlap as warnings', async () => {
    const extra =
      row(1, 'Same story', 'exactly') + // line 21
      row(1, 'Same story', 'exactly') + // line 22: exact duplicate, dropped
      row(2, 'same STORY', 'exactly!') + // line 23: same normalised text, other label: conflict, kept
      row(3, 'Leaked', 'into test') + // line 24: overlaps test line 2, dropped
      row(3, 'Leaked', 'into test'); // line 25: exact duplicate of 24, dropped before overlap
    const test = row(1, 'Fresh', 'story') + row(3, 'leaked', 'Into test.');
    const d = await importDataset({ kind: 'agnews', files: [CLASSES, file('train.csv', trainText(extra)), file('test.csv', test)] });
    const r = d.meta.report;
    expect(r.duplicateRows).toBe(2);
    expect(r.conflictingDuplicates).toBe(1);
    expect(r.trainTestOverlap).toBe(1);
    expect(r.overlapExamples).toEqual([{ trainLine: 24, testLine: 2, text: 'Leaked into test' }]);
    expect(d.train.length + d.validation.length).toBe(22);
    const ids = new Set([...d.train, ...d.validation].map((e) => e.id));
    expect(ids.has('train:22')).toBe(false);
    expect(ids.has('train:23')).toBe(true);
    expect(ids.has('train:24')).toBe(false);
    expect(r.warnings.map((w) => w.line)).toEqual([22, 23, 24, undefined]);
    // Two test rows cover two of the four classes: said, with what the macro averages cover.
    expect(r.warnings[3].message).toBe('class(es) with no test examples: "Sports", "Sci/Tech"; macro averages on test cover the classes present');
    expect(r.errorCount).toBe(0);
  });

  it('warns about strong class imbalance', async () => {
    let text = '';
    for (let k = 0; k < 40; k++) text += row(1, `World ${k}`, 'w');
    for (let k = 0; k < 3; k++) text += row(2, `Sports ${k}`, 's');
    const d = await importDataset({ kind: 'agnews', files: [file('classes.txt', 'World\nSports\n'), file('train.csv', text)] });
    expect(d.meta.report.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^strong class imbalance in train: "World" has \d+ examples, "Sports" only 3 \(ratio 12\.0\)/),
      // 10% of 3 Sports rows rounds to none held out.
      'the validation split holds only one class ("World"): its scores say little; add training rows of the other classes',
    ]);
  });

  it('rejects a bad validation fraction before reading anything', async () => {
    await expect(importDataset({ kind: 'agnews', files: [], validationFraction: 1 })).rejects.toThrow(/validationFraction must be in \[0, 1\)/);
  });

  it('reports progress', async () => {
    const seen: string[] = [];
    await importDataset({ kind: 'agnews', files: [CLASSES, file('train.csv', trainText())] }, { onProgress: (p) => seen.push(`${p.done}/${p.total}`) });
    expect(seen[0]).toBe('0/5');
    expect(seen[seen.length - 1]).toBe('5/5');
  });
});
