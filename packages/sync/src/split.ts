// Splitting a Yjs update (format V1) into several smaller updates that, applied in any order,
// give the same document. Production Durable Objects refuse WebSocket messages above 1 MiB, so a
// full-state sync of a large document must go out in parts.
//
// Structs are copied as encoded (each part lists runs of consecutive structs per client); the
// delete set goes in parts of its own. A part exceeds `maxBytes` only when one struct alone does.

import * as encoding from "lib0/encoding";
import * as Y from "yjs";

interface StructRun {
  client: number;
  clock: number;
  /** Clock span covered by the run's structs. */
  length: number;
  count: number;
  bytes: Uint8Array[];
}

export function splitUpdate(update: Uint8Array, maxBytes: number): Uint8Array[] {
  if (update.byteLength <= maxBytes) return [update];
  const { structs, ds } = Y.decodeUpdate(update);
  const parts: Uint8Array[] = [];
  // Room for the part's headers: varuints of counts, clients and clocks.
  const budget = Math.max(64, maxBytes - 64);

  let runs: StructRun[] = [];
  let size = 0;
  const flushStructs = () => {
    if (runs.length === 0) return;
    const enc = new Y.UpdateEncoderV1();
    encoding.writeVarUint(enc.restEncoder, runs.length);
    for (const run of runs) {
      encoding.writeVarUint(enc.restEncoder, run.count);
      enc.writeClient(run.client);
      encoding.writeVarUint(enc.restEncoder, run.clock);
      for (const b of run.bytes) encoding.writeUint8Array(enc.restEncoder, b);
    }
    encoding.writeVarUint(enc.restEncoder, 0); // empty delete set
    parts.push(enc.toUint8Array());
    runs = [];
    size = 0;
  };

  for (const struct of structs) {
    const one = new Y.UpdateEncoderV1();
    struct.write(one, 0);
    const bytes = one.toUint8Array();
    if (size > 0 && size + bytes.byteLength + 16 > budget) flushStructs();
    const last = runs[runs.length - 1];
    if (last && last.client === struct.id.client && last.clock + last.length === struct.id.clock) {
      last.count++;
      last.length += struct.length;
      last.bytes.push(bytes);
    } else {
      runs.push({
        client: struct.id.client,
        clock: struct.id.clock,
        length: struct.length,
        count: 1,
        bytes: [bytes],
      });
      size += 16;
    }
    size += bytes.byteLength;
  }
  flushStructs();

  // The delete set: ranges are independent, so they split anywhere.
  let dsEntries: [number, { clock: number; len: number }[]][] = [];
  let dsSize = 0;
  const flushDeletes = () => {
    if (dsEntries.length === 0) return;
    const enc = new Y.UpdateEncoderV1();
    encoding.writeVarUint(enc.restEncoder, 0); // no structs
    encoding.writeVarUint(enc.restEncoder, dsEntries.length);
    for (const [client, ranges] of dsEntries) {
      encoding.writeVarUint(enc.restEncoder, client);
      encoding.writeVarUint(enc.restEncoder, ranges.length);
      for (const r of ranges) {
        encoding.writeVarUint(enc.restEncoder, r.clock);
        encoding.writeVarUint(enc.restEncoder, r.len);
      }
    }
    parts.push(enc.toUint8Array());
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
