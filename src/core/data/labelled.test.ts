import { describe, expect, it } from 'vitest';
import { importDataset } from './import';
import { readLabelledFile } from './labelled';

const enc = new TextEncoder();
const file = (name: string, text: string) => ({ name, bytes: enc.encode(text) });
const CLASSES = ['World', 'Sports', 'Business'];

describe('labelled files scored outside a dataset, read by extension', () => {
  it('reads AG News CSV, TSV and JSONL alike', async () => {
    const csv = await readLabelledFile(file('x.csv', '"2","Goal","late winner"\n"3","Shares","fell"\n'), CLASSES);
    const tsv = await readLabelledFile(file('x.tsv', 'text\tlabel\nGoal late winner\tSports\nShares fell\tBusiness\n'), CLASSES);
    const jsonl = await readLabelledFile(file('x.jsonl', '{"text":"Goal late winner","label":"Sports"}\n{"text":"Shares fell","label":"Business"}\n'), CLASSES);
    for (const rows of [csv, tsv, jsonl]) expect(rows.map((r) => r.label)).toEqual([1, 2]);
    expect(jsonl[0].text).toBe('Goal late winner');
  });

  it('says a TSV named .csv is tab-separated instead of listing every bad label', async () => {
    const tsv = Array.from({ length: 30 }, (_, i) => `${(i % 3) + 1}\tTitle ${i}\tBody ${i}`).join('\n') + '\n';
    await expect(readLabelledFile(file('x.csv', tsv), CLASSES)).rejects.toThrow(/x\.csv looks tab-separated, not comma-separated.*name it \.tsv/);
    const err = await importDataset({ kind: 'agnews', files: [file('classes.txt', 'A\nB\nC\n'), file('train.csv', tsv)] }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^train\.csv.*looks tab-separated/);
    expect((err as Error).message).not.toMatch(/more error/);
  });
});
