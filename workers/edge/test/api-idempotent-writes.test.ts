// Every write under /api/v1 takes an Idempotency-Key, against the real app and SellerRoom: the
// same request twice does the work once (stock moves once, one API key is made), and a
// pretty-printed copy of the same JSON body (keys in another order) is the same request.
import { describe, expect, it } from "vitest";
import { apiKey } from "./api-harness.ts";
import { call, json, signUp } from "./helpers.ts";

const SKU = "MUG-0001-BL";

describe("Idempotency-Key on every write", () => {
  it("moves stock once for a repeated stock adjustment, and replays the first answer", async () => {
    const owner = await signUp("idem-stock");
    const key = await apiKey(owner, "write");
    const send = (body: string) =>
      call("/api/v1/stock/adjustments", {
        body,
        token: key,
        headers: { "Idempotency-Key": "stock-1", "Content-Type": "application/json" },
      });
    const first = await send(JSON.stringify({ changes: [{ sku: SKU, delta: 5 }] }));
    expect(first.status).toBe(200);
    // The same JSON, pretty-printed with its keys in another order.
    const again = await send(`{\n  "changes": [\n    { "delta": 5, "sku": "${SKU}" }\n  ]\n}\n`);
    expect(again.status).toBe(200);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.clone().json());
    const stock = await json<{ levels: Record<string, number> }>(await call("/api/v1/stock", { token: key }));
    expect(stock.levels[SKU]).toBe(5);

    // Another body under the same key is refused, and the stock does not move.
    const other = await send(JSON.stringify({ changes: [{ sku: SKU, delta: 6 }] }));
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: { fields: [{ path: "Idempotency-Key" }] } });
    const after = await json<{ levels: Record<string, number> }>(await call("/api/v1/stock", { token: key }));
    expect(after.levels[SKU]).toBe(5);
  });

  it("makes one API key for a repeated POST /team/api-keys", async () => {
    const owner = await signUp("idem-keys");
    const send = () =>
      call("/api/v1/team/api-keys", {
        body: { name: "stock sync", scope: "read" },
        token: owner.accessToken,
        headers: { "Idempotency-Key": "key-1" },
      });
    const [a, b] = [await send(), await send()];
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get("Idempotent-Replayed")).toBe("true");
    expect((await b.json()) as unknown).toEqual(await a.json());
    const keys = await json<{ keys: unknown[] }>(
      await call("/api/v1/team/api-keys", { token: owner.accessToken }),
    );
    expect(keys.keys).toHaveLength(1);
  });

  it("replays settings and rules too, and leaves reads alone", async () => {
    const owner = await signUp("idem-settings");
    const headers = { "Idempotency-Key": "settings-1" };
    const patch = () =>
      call("/api/v1/settings", {
        method: "PATCH",
        body: { packagingGrams: 40 },
        token: owner.accessToken,
        headers,
      });
    expect((await patch()).status).toBe(200);
    const replay = await patch();
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    const rules = () =>
      call("/api/v1/rules", {
        method: "PUT",
        body: { rules: [] },
        token: owner.accessToken,
        headers: { "Idempotency-Key": "r1" },
      });
    expect((await rules()).status).toBe(200);
    expect((await rules()).headers.get("Idempotent-Replayed")).toBe("true");
    // A GET with a key is just a read.
    const read = await call("/api/v1/settings", { token: owner.accessToken, headers });
    expect(read.headers.get("Idempotent-Replayed")).toBeNull();
  });
});
