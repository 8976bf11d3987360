import { describe, expect, it } from "vitest";
import { deviceKeyFor, rememberDeviceKey } from "./device-keys.ts";

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
}

describe("device keys", () => {
  it("gives back the key a sign-in answered with, for the same email however it is typed", () => {
    const storage = memoryStorage();
    expect(deviceKeyFor("owner@shop.co.uk", storage)).toBeUndefined();
    rememberDeviceKey("Owner@Shop.co.uk ", "cs_dev_1", storage);
    expect(deviceKeyFor("owner@shop.co.uk", storage)).toBe("cs_dev_1");
    rememberDeviceKey("packer@shop.co.uk", "cs_dev_2", storage);
    expect(deviceKeyFor(" OWNER@shop.co.uk", storage)).toBe("cs_dev_1");
    expect(deviceKeyFor("packer@shop.co.uk", storage)).toBe("cs_dev_2");
    rememberDeviceKey("owner@shop.co.uk", "cs_dev_3", storage);
    expect(deviceKeyFor("owner@shop.co.uk", storage)).toBe("cs_dev_3");
  });

  it("survives a damaged store by starting again", () => {
    const storage = memoryStorage();
    storage.setItem("consign.deviceKeys.v1", "{not json");
    expect(deviceKeyFor("owner@shop.co.uk", storage)).toBeUndefined();
    rememberDeviceKey("owner@shop.co.uk", "cs_dev_1", storage);
    expect(deviceKeyFor("owner@shop.co.uk", storage)).toBe("cs_dev_1");
  });
});
