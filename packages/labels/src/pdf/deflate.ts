// Synchronous zlib (FlateDecode) compression that runs the same in Node and a browser web
// worker. pako's high-level API allocates a fresh window and hash table per call, which costs
// more than compressing a 700-byte label; here one deflate state is kept and reset per stream.
import { deflate as pakoDeflate, deflateInit2, deflateReset } from "pako/lib/zlib/deflate.js";
import ZStream from "pako/lib/zlib/zstream.js";

const Z_FINISH = 4;
const Z_STREAM_END = 1;
const Z_DEFLATED = 8;
const LEVEL = 6;
/** 4 KB window: label and slip streams are a few KB, so a larger window finds nothing more. */
const WINDOW_BITS = 12;
const MEM_LEVEL = 4;

let stream: ZStream | undefined;
let output = new Uint8Array(16 * 1024);

function state(): ZStream {
  if (stream) return stream;
  const s = new ZStream();
  const rc = deflateInit2(s, LEVEL, Z_DEFLATED, WINDOW_BITS, MEM_LEVEL, 0);
  if (rc !== 0) throw new Error(`deflate setup failed (${rc})`);
  stream = s;
  return s;
}

/** zlib-wrapped deflate of `input[0..length)`; returns a fresh array. */
export function zlibDeflate(input: Uint8Array, length = input.length): Uint8Array {
  const s = state();
  const bound = length + (length >> 12) + (length >> 14) + 64;
  if (output.length < bound) output = new Uint8Array(bound * 2);
  deflateReset(s);
  s.input = input;
  s.next_in = 0;
  s.avail_in = length;
  s.output = output;
  s.next_out = 0;
  s.avail_out = output.length;
  const rc = pakoDeflate(s, Z_FINISH);
  if (rc !== Z_STREAM_END) throw new Error(`deflate failed (${rc})`);
  const result = output.slice(0, s.next_out);
  s.input = null;
  return result;
}
