/**
 * The few ONNX protobuf messages an exported model needs (onnx.proto3: ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto, ValueInfoProto), encoded by hand: protobuf's wire format
 * is tags and lengths, and a generated codec would be a large dependency for five messages.
 */

/** Bytes of a protobuf message built field by field. */
class Writer {
  private parts: Uint8Array[] = [];
  private size = 0;

  private push(b: Uint8Array): void {
    this.parts.push(b);
    this.size += b.length;
  }

  private varint(v: number | bigint): void {
    let n = BigInt.asUintN(64, BigInt(v));
    const out: number[] = [];
    do {
      let byte = Number(n & 0x7fn);
      n >>= 7n;
      if (n) byte |= 0x80;
      out.push(byte);
    } while (n);
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, v: number | bigint): this {
    this.tag(field, 0);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.push(b);
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

export const FLOAT = 1;
export const INT8 = 3;
export const INT64 = 7;
export const BOOL = 9;

export interface Tensor {
  name: string;
  dims: number[];
  /** FLOAT, INT8 or INT64. */
  type: number;
  /** Little-endian raw data. */
  raw: Uint8Array;
}

export type Attribute = { name: string } & ({ i: number } | { f: number } | { ints: number[] } | { t: Tensor });

export interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Attribute[];
}

/** A graph input or output: its element type and shape, a string for a named (dynamic) dimension. */
export interface ValueInfo {
  name: string;
  type: number;
  shape: (number | string)[];
}

function tensor(t: Tensor): Uint8Array {
  const w = new Writer();
  for (const d of t.dims) w.int(1, d);
  return w.int(2, t.type).string(8, t.name).bytes(9, t.raw).finish();
}

function attribute(a: Attribute): Uint8Array {
  const w = new Writer().string(1, a.name);
  if ('i' in a) return w.int(3, a.i).int(20, 2).finish();
  if ('f' in a) return w.float(2, a.f).int(20, 1).finish();
  if ('ints' in a) {
    for (const v of a.ints) w.int(8, v);
    return w.int(20, 7).finish();
  }
  return w.bytes(5, tensor(a.t)).int(20, 4).finish();
}

function node(n: Node, i: number): Uint8Array {
  const w = new Writer();
  for (const s of n.inputs) w.string(1, s);
  for (const s of n.outputs) w.string(2, s);
  w.string(3, `${n.op}_${i}`).string(4, n.op);
  for (const a of n.attributes ?? []) w.bytes(5, attribute(a));
  return w.finish();
}

function valueInfo(v: ValueInfo): Uint8Array {
  const shape = new Writer();
  for (const d of v.shape) shape.bytes(1, typeof d === 'number' ? new Writer().int(1, d).finish() : new Writer().string(2, d).finish());
  const tensorType = new Writer().int(1, v.type).bytes(2, shape.finish()).finish();
  return new Writer().string(1, v.name).bytes(2, new Writer().bytes(1, tensorType).finish()).finish();
}

export interface Graph {
  name: string;
  nodes: Node[];
  initializers: Tensor[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

/** A ModelProto (IR version 8) importing the default domain at `opset`. */
export function encodeModel(g: Graph, opset: number, producer = 'agnews-lab'): Uint8Array {
  const graph = new Writer();
  g.nodes.forEach((n, i) => graph.bytes(1, node(n, i)));
  graph.string(2, g.name);
  for (const t of g.initializers) graph.bytes(5, tensor(t));
  for (const v of g.inputs) graph.bytes(11, valueInfo(v));
  for (const v of g.outputs) graph.bytes(12, valueInfo(v));
  return new Writer().int(1, 8).string(2, producer).bytes(7, graph.finish()).bytes(8, new Writer().string(1, '').int(2, opset).finish()).finish();
}
