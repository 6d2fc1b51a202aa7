import { describe, expect, it } from 'vitest';
import type { ColumnMapping, SourceFile } from './request';
import { ImportError } from './errors';
import { importDataset } from './import';
import { detectHeader } from './mapping';
import { writeParquetFixture } from './parquet-fixture';
import { formatOf } from './table';

const file = (name: string, text: string): SourceFile => ({ name, bytes: new TextEncoder().encode(text) });

async function table(train: SourceFile, mapping: ColumnMapping, extra: { test?: SourceFile; classes?: string[] } = {}) {
  return importDataset({ kind: 'table', name: 't', train, mapping, validationFraction: 0, ...extra });
}

async function failure(train: SourceFile, mapping: ColumnMapping, extra: { test?: SourceFile; classes?: string[] } = {}) {
  const err = await table(train, mapping, extra).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImportError);
  return err as ImportError;
}

describe('formatOf', () => {
  it.each([
    ['a/train.CSV', 'csv'],
    ['x.tsv', 'tsv'],
    ['x.jsonl', 'jsonl'],
    ['x.ndjson', 'jsonl'],
    ['x.json', 'json'],
    ['data/train-00000-of-00001.parquet', 'parquet'],
    ['x.xlsx', undefined],
  ])('%s -> %s', (name, format) => expect(formatOf(name)).toBe(format));
});

describe('detectHeader', () => {
  it('sees a header from names, a word above integers, or a value that never recurs', () => {
    expect(detectHeader([['t', 'l']], { text: ['t'], label: 'l' })).toBe(true);
    expect(
      detectHeader(
        [
          ['text', 'label'],
          ['a', '1'],
          ['b', '2'],
        ],
        { text: [0], label: 1 },
      ),
    ).toBe(true);
    expect(
      detectHeader(
        [
          ['a', '1'],
          ['b', '2'],
        ],
        { text: [0], label: 1 },
      ),
    ).toBe(false);
    expect(
      detectHeader(
        [
          ['text', 'topic'],
          ['a', 'x'],
          ['b', 'y'],
          ['c', 'x'],
        ],
        { text: [0], label: 1 },
      ),
    ).toBe(true);
    expect(
      detectHeader(
        [
          ['a', 'x'],
          ['b', 'y'],
          ['c', 'x'],
        ],
        { text: [0], label: 1 },
      ),
    ).toBe(false);
  });
});

describe('table import', () => {
  it('joins text columns, infers sorted class names, detects the header', async () => {
    const csv = 'title,body,topic\nA,one,sports\nB,two,world\nC,"three, four",sports\n';
    const d = await table(file('news.csv', csv), { text: ['title', 'body'], label: 'topic' });
    expect(d.meta.classes).toEqual(['sports', 'world']);
    expect(d.train).toEqual([
      { id: 'train:2', text: 'A one', label: 0 },
      { id: 'train:3', text: 'B two', label: 1 },
      { id: 'train:4', text: 'C three, four', label: 0 },
    ]);
    expect(d.meta.report.files).toEqual([{ name: 'news.csv', rows: 3, bytes: csv.length }]);
  });

  it('reads 0-based integer labels with given classes', async () => {
    const d = await table(file('x.tsv', '0\tfirst\n1\tsecond\n2\tthird\n'), { text: [1], label: 0 }, { classes: ['a', 'b', 'c'] });
    expect(d.train.map((e) => e.label)).toEqual([0, 1, 2]);
    expect(d.train[0].id).toBe('train:1');
  });

  it('reads 1-based integer labels, and names classes by number when none are given', async () => {
    const d = await table(file('x.csv', 'text,label\nfirst,1\nsecond,2\nthird,3\n'), { text: ['text'], label: 'label' });
    expect(d.meta.classes).toEqual(['1', '2', '3']);
    expect(d.train.map((e) => e.label)).toEqual([0, 1, 2]);
  });

  it('reports integer labels out of range with the line', async () => {
    const err = await failure(file('x.csv', 'text,label\na,1\nb,2\nc,5\n'), { text: ['text'], label: 'label' }, { classes: ['x', 'y'] });
    expect(err.message).toBe('x.csv line 4: label "5" is not one of 1..2 (the class list has 2 classes)');
  });

  it('reports test labels unknown to train with the test line', async () => {
    const err = await failure(file('tr.csv', 'text,label\na,pos\nb,neg\n'), { text: ['text'], label: 'label' }, { test: file('te.csv', 'text,label\nc,pos\nd,meh\n') });
    expect(err.message).toBe('te.csv line 3: label "meh" is not one of the classes (neg, pos; from the train labels)');
  });

  it('reports a missing mapped column, listing the header', async () => {
    const err = await failure(file('x.csv', 'text,label\na,1\n'), { text: ['body'], label: 'label' });
    expect(err.report.errors).toEqual([{ file: 'x.csv', field: 'body', message: 'text column "body" named in the mapping is missing; the header has "text", "label"' }]);
  });

  it('reports rows with the wrong number of columns, missing labels and empty texts', async () => {
    const err = await failure(file('x.csv', 'text,label\na,1\nb,2,extra\n" ",1\nc,\n'), { text: ['text'], label: 'label' });
    expect(err.report.errors).toEqual([
      { file: 'x.csv', line: 3, message: 'expected 2 columns, found 3' },
      { file: 'x.csv', line: 4, field: 'text', message: 'empty text (the text columns are blank)' },
      { file: 'x.csv', line: 5, field: 'label', message: 'label is missing' },
    ]);
  });

  it('imports JSONL and reports bad lines', async () => {
    const ok = await table(file('x.jsonl', '{"text":"a","label":"x"}\n{"text":"b","label":"y"}\n'), { text: ['text'], label: 'label' });
    expect(ok.meta.classes).toEqual(['x', 'y']);
    const err = await failure(file('x.jsonl', '{"text":"a","label":"x"}\n{"text":"b",\n'), { text: ['text'], label: 'label' });
    expect(err.message).toMatch(/^x\.jsonl line 2: not valid JSON/);
  });

  it('imports Parquet with 1-based row numbers', async () => {
    const bytes = writeParquetFixture([
      { name: 'text', type: 'string', values: ['alpha', 'beta', 'gamma', 'delta'] },
      { name: 'label', type: 'int64', values: [0, 1, 0, 1] },
    ]);
    const d = await table({ name: 'train.parquet', bytes }, { text: ['text'], label: 'label' }, { classes: ['neg', 'pos'] });
    expect(d.train).toEqual([
      { id: 'train:1', text: 'alpha', label: 0 },
      { id: 'train:2', text: 'beta', label: 1 },
      { id: 'train:3', text: 'gamma', label: 0 },
      { id: 'train:4', text: 'delta', label: 1 },
    ]);
  });

  it('reports an unreadable Parquet file and an unknown extension', async () => {
    const bad = await failure({ name: 'x.parquet', bytes: new Uint8Array([1, 2, 3]) }, { text: ['text'], label: 'label' });
    expect(bad.message).toMatch(/^x\.parquet: not a readable Parquet file/);
    const ext = await failure(file('x.xlsx', 'a'), { text: [0], label: 1 });
    expect(ext.message).toMatch(/^x\.xlsx: unknown file type/);
  });

  it('needs at least two classes', async () => {
    const err = await failure(file('x.csv', 'a,1\nb,1\n'), { text: [0], label: 1 });
    expect(err.message).toBe('a classifier needs at least 2 classes, found 1');
  });
});
