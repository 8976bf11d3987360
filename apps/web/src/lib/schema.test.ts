import { describe, expect, it } from "vitest";
import { array, num, object, oneOf, optional, str } from "./schema.ts";

describe("response parsers", () => {
  const member = object({
    userId: str,
    role: oneOf(["owner", "packer", "viewer"] as const),
    seen: optional(num),
  });

  it("accepts a well-formed member and drops absent optionals", () => {
    expect(member({ userId: "u1", role: "packer" })).toEqual({ userId: "u1", role: "packer" });
  });

  it("names the field that is wrong", () => {
    expect(() => array(member)([{ userId: "u1", role: "admin" }])).toThrow(
      /\[0\]\.role should be owner \| packer \| viewer/,
    );
  });
});
