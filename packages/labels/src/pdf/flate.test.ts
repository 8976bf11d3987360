import { inflateSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { zlibDeflate } from "./flate.ts";
import { huffmanLengths } from "./huffman.ts";

const roundTrip = (bytes: Uint8Array) => new Uint8Array(inflateSync(zlibDeflate(bytes)));

describe("zlibDeflate", () => {
  it("round-trips through zlib's inflate for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
        expect(roundTrip(bytes)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips repetitive text, long runs and inputs over 64 KB", () => {
    const text = new TextEncoder().encode("0 -14 Td (Flat 12, Rosebery Court)Tj\n".repeat(3000));
    const runs = new Uint8Array(100_000).fill(7);
    const noise = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 2654435761) >>> 24);
    for (const bytes of [text, runs, noise, new Uint8Array(0), Uint8Array.of(1)])
      expect(roundTrip(bytes)).toEqual(bytes);
  });

  it("compresses a label-like content stream to well under half", () => {
    const stream = new TextEncoder().encode(
      "BT\n/F1 12 Tf\n0 -14 Td (221 Kingsway Avenue)Tj\n0 -14 Td (Manchester)Tj\n0 -14 Td (Greater Manchester)Tj\nET\n".repeat(
        8,
      ),
    );
    expect(zlibDeflate(stream).length).toBeLessThan(stream.length / 2);
  });

  it("skews code lengths past 15 bits without breaking (Fibonacci frequencies)", () => {
    const parts: number[] = [];
    let a = 1;
    let b = 1;
    for (let sym = 0; sym < 24; sym++) {
      for (let k = 0; k < a; k++) parts.push(sym * 10);
      [a, b] = [b, a + b];
    }
    // Shuffle deterministically so LZ77 finds few matches and the literal counts stay skewed.
    const bytes = Uint8Array.from(parts.map((_v, i) => (i * 7919) % parts.length).map((j) => parts[j] ?? 0));
    expect(roundTrip(bytes)).toEqual(bytes);
  });

  it("limits Huffman codes to 15 bits and keeps the code complete", () => {
    const freq = new Uint32Array(286);
    let a = 1;
    let b = 1;
    for (let i = 0; i < 30; i++) {
      freq[i] = a;
      [a, b] = [b, a + b];
    }
    const lengths = new Uint8Array(286);
    huffmanLengths(freq, 286, 15, lengths);
    const used = [...lengths.slice(0, 30)];
    expect(Math.max(...used)).toBe(15);
    expect(used.reduce((sum, l) => sum + 2 ** -l, 0)).toBe(1);
  });
});
