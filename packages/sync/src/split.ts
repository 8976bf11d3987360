// Splitting a Yjs update (format V1) into several smaller updates that, applied in any order,
// give the same document. Production Durable Objects refuse WebSocket messages above 1 MiB, so a
// full-state sync of a large document must go out in parts.
//
// Structs are copied as encoded (each part lists runs of consecutive structs per client); the
// delete set goes in parts of its own. A part exceeds `maxBytes` only when one struct alone does.
//
// The update is read with a scanner that finds where each struct ends without building it: the room
// splits every new device's first sync (5.7 MB at 5,000 orders), and decoding the whole update into
// Yjs structs first (Y.decodeUpdate: every order's record parsed into objects) cost more than encoding
// it (issue 23: 1.0-2.2 s against 0.5 s at load 12). The parts are byte for byte those of that way.

import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";

interface StructRun {
  client: number;
  clock: number;
  /** Clock span covered by the run's structs. */
  length: number;
  count: number;
  bytes: Uint8Array[];
}

// The info byte of a struct (Yjs's encoding, format V1).
const BIT8 = 0x80; // has an origin
const BIT7 = 0x40; // has a right origin
const BIT6 = 0x20; // has a parentSub (when the parent is written)
const BITS5 = 0x1f; // the content's kind
const GC = 0;
const SKIP = 10;
/** Content kinds: 1 deleted, 2 JSON, 3 binary, 4 string, 5 embed, 6 format, 7 type, 8 any, 9 doc. */
const TYPE_XML_ELEMENT = 3;
const TYPE_XML_HOOK = 5;

function skipVarUint8Array(d: decoding.Decoder): void {
  const len = decoding.readVarUint(d);
  d.pos += len;
}

/** Skips one value of lib0's `writeAny` encoding without building it. */
function skipAny(d: decoding.Decoder): void {
  const tag = decoding.readUint8(d);
  switch (tag) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125: // integer (varInt)
      decoding.readVarInt(d);
      return;
    case 124: // float32
      d.pos += 4;
      return;
    case 123: // float64
    case 122: // bigint64
      d.pos += 8;
      return;
    case 119: // string
    case 116: // Uint8Array
      skipVarUint8Array(d);
      return;
    case 118: {
      // object: its keys (strings) and values
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) {
        skipVarUint8Array(d);
        skipAny(d);
      }
      return;
    }
    case 117: {
      // array
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) skipAny(d);
      return;
    }
    default:
      throw new Error(`not a Yjs update: unknown value tag ${tag}`);
  }
}

/** Skips one ID (client, clock). */
function skipId(d: decoding.Decoder): void {
  decoding.readVarUint(d);
  decoding.readVarUint(d);
}

/** Reads past one struct (the decoder at its info byte) and returns its clock length. */
function skipStruct(d: decoding.Decoder): number {
  const info = decoding.readUint8(d);
  const kind = info & BITS5;
  if (kind === GC || kind === SKIP) return decoding.readVarUint(d);
  if ((info & BIT8) === BIT8) skipId(d);
  if ((info & BIT7) === BIT7) skipId(d);
  if ((info & (BIT7 | BIT8)) === 0) {
    // The parent: a root type's name, or the ID of the item holding it; then the map key, if any.
    if (decoding.readVarUint(d) === 1) skipVarUint8Array(d);
    else skipId(d);
    if ((info & BIT6) === BIT6) skipVarUint8Array(d);
  }
  switch (kind) {
    case 1: // deleted
      return decoding.readVarUint(d);
    case 2: {
      // JSON: strings of JSON
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) skipVarUint8Array(d);
      return n;
    }
    case 3: // binary
    case 5: // embed (JSON)
      skipVarUint8Array(d);
      return 1;
    case 4: // string: its length in UTF-16 units, as Yjs counts it
      return decoding.readVarString(d).length;
    case 6: // format: key and JSON value
      skipVarUint8Array(d);
      skipVarUint8Array(d);
      return 1;
    case 7: {
      // a type; XML elements and hooks carry their name
      const ref = decoding.readVarUint(d);
      if (ref === TYPE_XML_ELEMENT || ref === TYPE_XML_HOOK) skipVarUint8Array(d);
      return 1;
    }
    case 8: {
      // any: plain values
      const n = decoding.readVarUint(d);
      for (let i = 0; i < n; i++) skipAny(d);
      return n;
    }
    case 9: // a subdocument: its guid and options
      skipVarUint8Array(d);
      skipAny(d);
      return 1;
    default:
      throw new Error(`not a Yjs update: unknown content kind ${kind}`);
  }
}

function checkInside(d: decoding.Decoder): void {
  if (d.pos > d.arr.length) throw new Error("not a Yjs update: it ends inside a struct");
}

export function splitUpdate(update: Uint8Array, maxBytes: number): Uint8Array[] {
  if (update.byteLength <= maxBytes) return [update];
  const d = decoding.createDecoder(update);
  const parts: Uint8Array[] = [];
  // Room for the part's headers: varuints of counts, clients and clocks.
  const budget = Math.max(64, maxBytes - 64);

  let runs: StructRun[] = [];
  let size = 0;
  const flushStructs = () => {
    if (runs.length === 0) return;
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, runs.length);
    for (const run of runs) {
      encoding.writeVarUint(enc, run.count);
      encoding.writeVarUint(enc, run.client);
      encoding.writeVarUint(enc, run.clock);
      for (const b of run.bytes) encoding.writeUint8Array(enc, b);
    }
    encoding.writeVarUint(enc, 0); // empty delete set
    parts.push(encoding.toUint8Array(enc));
    runs = [];
    size = 0;
  };

  const groups = decoding.readVarUint(d);
  for (let g = 0; g < groups; g++) {
    const structs = decoding.readVarUint(d);
    const client = decoding.readVarUint(d);
    let clock = decoding.readVarUint(d);
    for (let k = 0; k < structs; k++) {
      const start = d.pos;
      const length = skipStruct(d);
      checkInside(d);
      // A view, not a copy: the parts are written from it before this function returns.
      const bytes = update.subarray(start, d.pos);
      if (size > 0 && size + bytes.byteLength + 16 > budget) flushStructs();
      const last = runs[runs.length - 1];
      if (last && last.client === client && last.clock + last.length === clock) {
        last.count++;
        last.length += length;
        last.bytes.push(bytes);
      } else {
        runs.push({ client, clock, length, count: 1, bytes: [bytes] });
        size += 16;
      }
      size += bytes.byteLength;
      clock += length;
    }
  }
  flushStructs();

  // The delete set as written: per client, ranges of (clock, length).
  const ds: { clients: Map<number, { clock: number; len: number }[]> } = { clients: new Map() };
  const dsClients = decoding.readVarUint(d);
  for (let i = 0; i < dsClients; i++) {
    const client = decoding.readVarUint(d);
    const n = decoding.readVarUint(d);
    const ranges: { clock: number; len: number }[] = [];
    for (let k = 0; k < n; k++) {
      const clock = decoding.readVarUint(d);
      ranges.push({ clock, len: decoding.readVarUint(d) });
    }
    const had = ds.clients.get(client);
    if (had) had.push(...ranges);
    else ds.clients.set(client, ranges);
  }

  // The delete set: ranges are independent, so they split anywhere.
  let dsEntries: [number, { clock: number; len: number }[]][] = [];
  let dsSize = 0;
  const flushDeletes = () => {
    if (dsEntries.length === 0) return;
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 0); // no structs
    encoding.writeVarUint(enc, dsEntries.length);
    for (const [client, ranges] of dsEntries) {
      encoding.writeVarUint(enc, client);
      encoding.writeVarUint(enc, ranges.length);
      for (const r of ranges) {
        encoding.writeVarUint(enc, r.clock);
        encoding.writeVarUint(enc, r.len);
      }
    }
    parts.push(encoding.toUint8Array(enc));
    dsEntries = [];
    dsSize = 0;
  };
  for (const [client, items] of ds.clients) {
    let ranges: { clock: number; len: number }[] = [];
    dsEntries.push([client, ranges]);
    dsSize += 16;
    for (const item of items) {
      if (dsSize + 16 > budget) {
        flushDeletes();
        ranges = [];
        dsEntries.push([client, ranges]);
        dsSize = 16;
      }
      ranges.push({ clock: item.clock, len: item.len });
      dsSize += 12;
    }
  }
  flushDeletes();
  return parts;
}
