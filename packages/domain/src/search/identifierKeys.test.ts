import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identifierKey, identifierTokens, keyFlags, spanText, WHOLE } from "./identifierKeys.ts";
import { sortByKey } from "./radixSort.ts";
import { tokenize } from "./tokens.ts";

/** What orderTokens makes of an identifier field. */
function expected(value: string): string[] {
  const out = tokenize(value);
  if (out.length > 1) out.push(out.join(""));
  return out;
}

function emitted(value: string) {
  const out: { text: string; key: number; whole: boolean }[] = [];
  identifierTokens(value, {
    identifier: (field, start, end, flags, key) =>
      out.push({ text: spanText(field, start, end, flags), key, whole: (flags & WHOLE) !== 0 }),
  });
  return out;
}

const identifierLike = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 -]{0,24}$/),
  fc.string({ maxLength: 16 }),
  fc.constantFrom("203-1234567-1234567", "SW1A 1AA", "GQ660548056GB", "Zoë-12 Ångström", "İstanbul 34"),
);
/** Tokens as tokenize makes them: lower-case letters, digits, and anything beyond ASCII. */
const token = fc
  .oneof(fc.stringMatching(/^[a-z0-9]{1,14}$/), fc.string({ minLength: 1, maxLength: 12, unit: "binary" }))
  .map((s) => tokenize(s).join(""))
  .filter((s) => s.length > 0);

describe("identifier tokens", () => {
  it("are the same tokens orderTokens gives, with the same keys a lone token would get", () => {
    fc.assert(
      fc.property(identifierLike, (value) => {
        const got = emitted(value);
        expect(got.map((t) => t.text)).toEqual(expected(value));
        for (const t of got) {
          expect(t.key).toBe(identifierKey(t.text));
          expect(t.whole).toBe(keyFlags(t.text) === WHOLE);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("have keys that never contradict the text order, and equal keys only for equal whole texts", () => {
    fc.assert(
      fc.property(token, token, (a, b) => {
        const ka = identifierKey(a);
        const kb = identifierKey(b);
        if (ka < kb) expect(a < b).toBe(true);
        if (ka === kb && keyFlags(a) === WHOLE && keyFlags(b) === WHOLE) expect(a).toBe(b);
      }),
      { numRuns: 2000 },
    );
    expect(identifierKey("20")).toBeLessThan(identifierKey("203"));
    expect(identifierKey("203")).toBeLessThan(identifierKey("2031234567890"));
    expect(identifierKey("zz")).toBeLessThan(identifierKey("é"));
  });
});

describe("radix sort by key", () => {
  it("orders like a comparison sort and keeps equal keys in their original order", () => {
    const key = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.maxSafeInteger().map(Math.abs));
    fc.assert(
      fc.property(fc.array(key, { maxLength: 300 }), (keys) => {
        const sorted = new Float64Array(keys.length);
        const order = Array.from(sortByKey(Float64Array.from(keys), sorted));
        const want = keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
        expect(order).toEqual(want);
        expect(Array.from(sorted)).toEqual(want.map((i) => keys[i]!));
      }),
      { numRuns: 300 },
    );
  });
});
