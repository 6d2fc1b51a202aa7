/**
 * A minimal Parquet writer for tests: one row group, one uncompressed PLAIN data page per
 * column, REQUIRED string/int32/int64 columns. It exists because no Parquet writer is
 * installed (no hyparquet-writer, no pyarrow), and the Hub loader and table import must be
 * tested on real Parquet bytes that hyparquet parses. Not used by the app itself.
 *
 * Format: "PAR1", per column (page header + values), footer (FileMetaData), footer length,
 * "PAR1". Headers and footer use Thrift's compact protocol.
 */

export type FixtureColumn = { name: string; type: 'string'; values: string[] } | { name: string; type: 'int32' | 'int64'; values: number[] };

// Thrift compact type ids.
const T_I32 = 5;
const T_I64 = 6;
const T_BINARY = 8;
const T_LIST = 9;
const T_STRUCT = 12;

// Parquet enums.
const PQ_INT32 = 1;
const PQ_INT64 = 2;
const PQ_BYTE_ARRAY = 6;
const UTF8 = 0;
const REQUIRED = 0;
const PLAIN = 0;
const RLE = 3;
const UNCOMPRESSED = 0;
const DATA_PAGE = 0;

type Value = { t: 'i32' | 'i64'; v: number | bigint } | { t: 'bin'; v: Uint8Array } | { t: 'struct'; v: Field[] } | { t: 'list'; elem: number; v: Value[] };
type Field = [id: number, value: Value];

class Out {
  bytes: number[] = [];
  varint(n: bigint): void {
    let v = n;
    while (v >= 0x80n) {
      this.bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.bytes.push(Number(v));
  }
  zigzag(n: number | bigint): void {
    const v = BigInt(n);
    this.varint(v >= 0n ? v << 1n : (-v << 1n) - 1n);
  }
  raw(b: ArrayLike<number>): void {
    for (let k = 0; k < b.length; k++) this.bytes.push(b[k]);
  }
}

const typeId = (v: Value): number => (v.t === 'i32' ? T_I32 : v.t === 'i64' ? T_I64 : v.t === 'bin' ? T_BINARY : v.t === 'list' ? T_LIST : T_STRUCT);

function writeValue(out: Out, v: Value): void {
  switch (v.t) {
    case 'i32':
    case 'i64':
      out.zigzag(v.v);
      return;
    case 'bin':
      out.varint(BigInt(v.v.length));
      out.raw(v.v);
      return;
    case 'list':
      if (v.v.length < 15) out.bytes.push((v.v.length << 4) | v.elem);
      else {
        out.bytes.push(0xf0 | v.elem);
        out.varint(BigInt(v.v.length));
      }
      for (const e of v.v) writeValue(out, e);
      return;
    case 'struct': {
      let last = 0;
      for (const [id, fv] of v.v) {
        const delta = id - last;
        if (delta < 1 || delta > 15) throw new Error('fixture writer: field ids must ascend by 1..15');
        out.bytes.push((delta << 4) | typeId(fv));
        writeValue(out, fv);
        last = id;
      }
      out.bytes.push(0);
    }
  }
}

const i32 = (v: number): Value => ({ t: 'i32', v });
const i64 = (v: number): Value => ({ t: 'i64', v: BigInt(v) });
const str = (s: string): Value => ({ t: 'bin', v: new TextEncoder().encode(s) });
const struct = (...fields: Field[]): Value => ({ t: 'struct', v: fields });
const list = (elem: number, v: Value[]): Value => ({ t: 'list', elem, v });

function encodeStruct(v: Value): number[] {
  const out = new Out();
  writeValue(out, v);
  return out.bytes;
}

function plainValues(col: FixtureColumn): number[] {
  const out: number[] = [];
  const view = new DataView(new ArrayBuffer(8));
  for (const v of col.values) {
    if (col.type === 'string') {
      const b = new TextEncoder().encode(v as string);
      view.setUint32(0, b.length, true);
      out.push(...new Uint8Array(view.buffer, 0, 4), ...b);
    } else if (col.type === 'int32') {
      view.setInt32(0, v as number, true);
      out.push(...new Uint8Array(view.buffer, 0, 4));
    } else {
      view.setBigInt64(0, BigInt(v), true);
      out.push(...new Uint8Array(view.buffer, 0, 8));
    }
  }
  return out;
}

const physical = (col: FixtureColumn): number => (col.type === 'string' ? PQ_BYTE_ARRAY : col.type === 'int32' ? PQ_INT32 : PQ_INT64);

/** Encodes the columns (all of one length) as a Parquet file. */
export function writeParquetFixture(columns: FixtureColumn[]): Uint8Array {
  const rows = columns[0]?.values.length ?? 0;
  if (columns.some((c) => c.values.length !== rows)) throw new Error('fixture writer: columns differ in length');
  const file: number[] = [...new TextEncoder().encode('PAR1')];
  const chunks: Value[] = [];
  let total = 0;
  for (const col of columns) {
    const data = plainValues(col);
    const header = encodeStruct(
      struct([1, i32(DATA_PAGE)], [2, i32(data.length)], [3, i32(data.length)], [5, struct([1, i32(rows)], [2, i32(PLAIN)], [3, i32(RLE)], [4, i32(RLE)])]),
    );
    const offset = file.length;
    file.push(...header, ...data);
    const size = header.length + data.length;
    total += size;
    const meta = struct(
      [1, i32(physical(col))],
      [2, list(T_I32, [i32(PLAIN)])],
      [3, list(T_BINARY, [str(col.name)])],
      [4, i32(UNCOMPRESSED)],
      [5, i64(rows)],
      [6, i64(size)],
      [7, i64(size)],
      [9, i64(offset)],
    );
    chunks.push(struct([2, i64(offset)], [3, meta]));
  }
  const schema: Value[] = [struct([4, str('schema')], [5, i32(columns.length)])];
  for (const col of columns) {
    const fields: Field[] = [
      [1, i32(physical(col))],
      [3, i32(REQUIRED)],
      [4, str(col.name)],
    ];
    if (col.type === 'string') fields.push([6, i32(UTF8)]);
    schema.push(struct(...fields));
  }
  const footer = encodeStruct(
    struct([1, i32(1)], [2, list(T_STRUCT, schema)], [3, i64(rows)], [4, list(T_STRUCT, [struct([1, list(T_STRUCT, chunks)], [2, i64(total)], [3, i64(rows)])])]),
  );
  file.push(...footer);
  const len = new DataView(new ArrayBuffer(4));
  len.setUint32(0, footer.length, true);
  file.push(...new Uint8Array(len.buffer), ...new TextEncoder().encode('PAR1'));
  return new Uint8Array(file);
}
