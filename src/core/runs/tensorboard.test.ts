import { describe, expect, it } from 'vitest';
import type { MetricRow } from '../experiment/result';
import { memoryStore } from '../storage/memory';
import { RunFolder } from './run-folder';
import { crc32c, FILE_VERSION, maskedCrc, rowScalars } from './tensorboard';

interface Decoded {
  wallTime?: number;
  step: number;
  fileVersion?: string;
  scalars: [string, number][];
}

/** A reader independent of the writer: frames checked by CRC, then the protobuf wire format field by field. */
function readRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const len = Number(view.getBigUint64(at, true));
    expect(view.getUint32(at + 8, true), `length CRC of record ${out.length}`).toBe(maskedCrc(bytes.subarray(at, at + 8)));
    const data = bytes.subarray(at + 12, at + 12 + len);
    expect(view.getUint32(at + 12 + len, true), `data CRC of record ${out.length}`).toBe(maskedCrc(data));
    out.push(data);
    at += 16 + len;
  }
  return out;
}

function fields(b: Uint8Array): [number, number | Uint8Array][] {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: [number, number | Uint8Array][] = [];
  let i = 0;
  const varint = () => {
    let v = 0;
    for (let mul = 1; ; mul *= 128) {
      const x = b[i++];
      v += (x & 0x7f) * mul;
      if (x < 0x80) return v;
    }
  };
  while (i < b.length) {
    const key = varint();
    const wire = key & 7;
    if (wire === 0) out.push([key >>> 3, varint()]);
    else if (wire === 1) {
      out.push([key >>> 3, view.getFloat64(i, true)]);
      i += 8;
    } else if (wire === 5) {
      out.push([key >>> 3, view.getFloat32(i, true)]);
      i += 4;
    }
    else if (wire === 2) {
      const n = varint();
      out.push([key >>> 3, b.subarray(i, i + n)]);
      i += n;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

function decodeEvent(b: Uint8Array): Decoded {
  const e: Decoded = { step: 0, scalars: [] };
  for (const [f, v] of fields(b)) {
    if (f === 1) e.wallTime = v as number;
    else if (f === 2) e.step = v as number;
    else if (f === 3) e.fileVersion = new TextDecoder().decode(v as Uint8Array);
    else if (f === 5)
      for (const [, value] of fields(v as Uint8Array).filter(([k]) => k === 1)) {
        const vf = new Map(fields(value as Uint8Array));
        e.scalars.push([new TextDecoder().decode(vf.get(1) as Uint8Array), vf.get(2) as number]);
      }
  }
  return e;
}

const rows: MetricRow[] = [
  { kind: 'step', step: 10, epoch: 1, loss: 1.25, accuracy: 0.5, lr: 0.001, gradNorm: 3.5, examplesPerSec: 812.5 },
  { kind: 'step', step: 3_000_000_000, epoch: 1, loss: 0.75, accuracy: 0.625, lr: 0.0005, examplesPerSec: 900 },
  { kind: 'epoch', step: 3_000_000_000, epoch: 1, loss: 0.8, accuracy: 0.6, val_loss: 0.9, val_accuracy: 0.55, val_macroF1: 0.5, seconds: 12 },
  { kind: 'epoch', step: 3_000_000_001, epoch: 2, loss: NaN, accuracy: NaN, val_loss: 0.7 },
];

describe('TensorBoard event files', () => {
  it('computes CRC-32C (Castagnoli) as the standard check value says', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  });

  it('writes a run’s metric rows, as they are appended, into tb/ with valid frames and the same values as metrics.jsonl', async () => {
    const store = memoryStore();
    const run = RunFolder.inStore(store, 'r1');
    const meta = await run.begin({ runId: 'r1', configName: 'c', model: 'fasttext', datasetId: 'd', classes: ['a', 'b'] }, {});
    await run.appendMetrics(rows.slice(0, 2));
    await run.appendMetrics(rows.slice(2));
    const path = `runs/r1/tb/events.out.tfevents.${Math.floor(Date.parse(meta.createdAt) / 1000)}.agnews`;
    expect(await store.list('runs/r1/tb/')).toEqual([path]);

    const events = readRecords((await store.read(path))!).map(decodeEvent);
    expect(events).toHaveLength(1 + rows.length);
    expect(events[0].fileVersion).toBe(FILE_VERSION);
    const metrics = await run.metrics();
    events.slice(1).forEach((e, i) => {
      expect(e.step).toBe(metrics[i].step);
      expect(e.wallTime).toBeGreaterThan(Date.parse(meta.createdAt) / 1000 - 1);
      expect(e.scalars.map(([t]) => t)).toEqual(rowScalars(metrics[i]).map(([t]) => t));
      e.scalars.forEach(([, v], k) => expect(v).toBe(Math.fround(rowScalars(metrics[i])[k][1])));
    });
    expect(events[1].scalars).toEqual([
      ['train/loss', 1.25],
      ['train/accuracy', 0.5],
      ['lr', Math.fround(0.001)],
      ['grad_norm', 3.5],
      ['examples_per_s', 812.5],
    ]);
    // NaN train figures (an imported model) are left out, not written as points.
    expect(events[4].scalars).toEqual([['val/loss', Math.fround(0.7)]]);
  });

  it('rewrites the file when a resumed run truncates its metrics', async () => {
    const store = memoryStore();
    const run = RunFolder.inStore(store, 'r2');
    await run.begin({ runId: 'r2', configName: 'c', model: 'm', datasetId: 'd', classes: ['a'] }, {});
    await run.appendMetrics(rows);
    await run.truncateMetrics(10);
    await run.appendMetrics([{ kind: 'step', step: 20, epoch: 1, loss: 1 }]);
    const events = readRecords((await store.read((await run.eventFile())!))!).map(decodeEvent);
    expect(events.map((e) => e.fileVersion ?? e.step)).toEqual([FILE_VERSION, 10, 20]);
  });
});
