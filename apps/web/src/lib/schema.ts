// Small parsers for what the edge sends back: every outside input is checked at the boundary, and a bad
// shape becomes an error a person can read instead of `undefined` deep inside a component.

export class ShapeError extends Error {
  constructor(path: string, expected: string) {
    super(`The server sent an unexpected answer (${path || "body"} should be ${expected}).`);
  }
}

export type Parser<T> = (value: unknown, path?: string) => T;

export const str: Parser<string> = (v, p = "") => {
  if (typeof v !== "string") throw new ShapeError(p, "text");
  return v;
};
export const num: Parser<number> = (v, p = "") => {
  if (typeof v !== "number" || Number.isNaN(v)) throw new ShapeError(p, "a number");
  return v;
};
export const bool: Parser<boolean> = (v, p = "") => {
  if (typeof v !== "boolean") throw new ShapeError(p, "true or false");
  return v;
};
export function optional<T>(parse: Parser<T>): Parser<T | undefined> {
  return (v, p) => (v === undefined || v === null ? undefined : parse(v, p));
}
export function oneOf<T extends string>(values: readonly T[]): Parser<T> {
  return (v, p = "") => {
    if (typeof v !== "string" || !(values as readonly string[]).includes(v)) {
      throw new ShapeError(p, values.join(" | "));
    }
    return v as T;
  };
}
export function array<T>(parse: Parser<T>): Parser<T[]> {
  return (v, p = "") => {
    if (!Array.isArray(v)) throw new ShapeError(p, "a list");
    return v.map((x, i) => parse(x, `${p}[${i}]`));
  };
}
type Shape = Record<string, Parser<unknown>>;
export function object<S extends Shape>(shape: S): Parser<{ [K in keyof S]: ReturnType<S[K]> }> {
  return (v, p = "") => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new ShapeError(p, "an object");
    const out: Record<string, unknown> = {};
    for (const [key, parse] of Object.entries(shape)) {
      const value = parse((v as Record<string, unknown>)[key], p ? `${p}.${key}` : key);
      if (value !== undefined) out[key] = value;
    }
    return out as { [K in keyof S]: ReturnType<S[K]> };
  };
}
/** Passes the value through untouched (for documents we only display, e.g. archived orders). */
export const unknownValue: Parser<unknown> = (v) => v;
