// The splitter as it was before issue 23, kept as the reference the scanning splitter is checked
// against (src/split.test.ts) and the naive baseline it is measured beside (bench/split.bench.ts).

import * as encoding from "lib0/encoding";
import * as Y from "yjs";

/** The splitter as it was before issue 23: every struct decoded by Yjs, then written back one by one. */
export function splitByDecoding(update: Uint8Array, maxBytes: number): Uint8Array[] {
  if (update.byteLength <= maxBytes) return [update];
  const { structs, ds } = Y.decodeUpdate(update);
  const parts: Uint8Array[] = [];
  const budget = Math.max(64, maxBytes - 64);
  type Run = { client: number; clock: number; length: number; count: number; bytes: Uint8Array[] };
  let runs: Run[] = [];
  let size = 0;
  const flush = () => {
    if (runs.length === 0) return;
    const enc = new Y.UpdateEncoderV1();
    encoding.writeVarUint(enc.restEncoder, runs.length);
    for (const run of runs) {
      encoding.writeVarUint(enc.restEncoder, run.count);
      enc.writeClient(run.client);
      encoding.writeVarUint(enc.restEncoder, run.clock);
      for (const b of run.bytes) encoding.writeUint8Array(enc.restEncoder, b);
    }
    encoding.writeVarUint(enc.restEncoder, 0);
    parts.push(enc.toUint8Array());
    runs = [];
    size = 0;
  };
  for (const struct of structs) {
    const one = new Y.UpdateEncoderV1();
    struct.write(one, 0);
    const bytes = one.toUint8Array();
    if (size > 0 && size + bytes.byteLength + 16 > budget) flush();
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
  flush();
  // The delete set is split by splitUpdate's own loop: compared through the applied document below.
  const deletes = new Y.UpdateEncoderV1();
  encoding.writeVarUint(deletes.restEncoder, 0);
  encoding.writeVarUint(deletes.restEncoder, ds.clients.size);
  for (const [client, items] of ds.clients) {
    encoding.writeVarUint(deletes.restEncoder, client);
    encoding.writeVarUint(deletes.restEncoder, items.length);
    for (const i of items) {
      encoding.writeVarUint(deletes.restEncoder, i.clock);
      encoding.writeVarUint(deletes.restEncoder, i.len);
    }
  }
  if (ds.clients.size > 0) parts.push(deletes.toUint8Array());
  return parts;
}
