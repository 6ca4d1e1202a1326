/**
 * Whether `bytes` are whole, well-formed ONNX model bytes: a protobuf `ModelProto` with an IR version
 * and a graph of at least one node, every field of the model, of its graph and of each of its nodes
 * read to the byte, nothing cut short or left over. A cheap look (field headers only: the weights
 * are skipped, a 54 MB decoder reads in about a millisecond) that finds what onnxruntime reports as
 * "protobuf parsing failed" (a truncated download, a damaged copy, an error page) without building
 * a session. A model that passes may still fail to build (an operator the runtime lacks).
 */
export function looksLikeOnnxModel(bytes: Uint8Array): boolean {
  const model = fields(bytes, 0, bytes.length);
  const graph = model?.find((field) => field.number === GRAPH);
  if (!model || !graph || !model.some((field) => field.number === IR_VERSION && field.wire === VARINT)) return false;
  if (graph.wire !== LENGTH_DELIMITED) return false;
  const graphFields = fields(bytes, graph.start, graph.end);
  const nodes = graphFields?.filter((field) => field.number === NODE && field.wire === LENGTH_DELIMITED) ?? [];
  return nodes.length > 0 && nodes.every((node) => fields(bytes, node.start, node.end) !== null);
}

// ModelProto's and GraphProto's field numbers (onnx.proto3).
const IR_VERSION = 1;
const GRAPH = 7;
const NODE = 1;

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

interface Field {
  number: number;
  wire: number;
  /** A length-delimited field's contents; a scalar's own bytes. */
  start: number;
  end: number;
}

/** The fields of the message in `bytes[start, end)`, or null where it is not one (groups, which ONNX never uses, count as not). */
function fields(bytes: Uint8Array, start: number, end: number): Field[] | null {
  const found: Field[] = [];
  let at = start;
  while (at < end) {
    const tag = varint(bytes, at, end);
    if (!tag) return null;
    const number = Math.floor(tag.value / 8);
    const wire = tag.value % 8;
    if (number === 0) return null;
    at = tag.next;
    let from = at;
    if (wire === VARINT) {
      const value = varint(bytes, at, end);
      if (!value) return null;
      at = value.next;
    } else if (wire === FIXED64) at += 8;
    else if (wire === FIXED32) at += 4;
    else if (wire === LENGTH_DELIMITED) {
      const length = varint(bytes, at, end);
      if (!length) return null;
      from = length.next;
      at = from + length.value;
    } else return null;
    if (at > end) return null;
    found.push({ number, wire, start: from, end: at });
  }
  return found;
}

/** A base-128 varint at `at` (up to 64 bits, read as a double: exact below 2^53, which every length is). */
function varint(bytes: Uint8Array, at: number, end: number): { value: number; next: number } | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10 && at + i < end; i++) {
    const byte = bytes[at + i];
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return { value, next: at + i + 1 };
  }
  return null;
}
