// The change feed as an integrator meets it, against the real SellerRoom: our own changes (a label
// bought or voided, a dispatch, notes, a state change) move an order's revision even though
// Amazon's updatedAt stays put; GET /changes gives each change once, in order, while writes race
// the reads; each change is also a webhook (voiding included).
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { ActionContext, OrderAction, Shipment } from "@consign/domain";
import { applyOrderAction, setWork, upsertOrders, writeTextField } from "@consign/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { SellerCore } from "../src/room/core.ts";
import { NOTES_SETTLE_MS } from "../src/room/notes-settle.ts";
import { apiKey } from "./api-harness.ts";
import { call, json, signUp } from "./helpers.ts";
import { order } from "./sync-fixtures.ts";

type Change = {
  cursor: string;
  revision: number;
  type: string;
  orderId: string;
  state: string;
  trackingNumber: string | null;
  shipmentId: string | null;
  short: { sku: string; needed: number; available: number }[] | null;
};
type ChangePage = { changes: Change[]; nextCursor: string; hasMore: boolean };

const AMAZON_TIME = Date.UTC(2026, 3, 1);
const [A, B, C, D] = [
  "202-0000001-0000001",
  "202-0000001-0000002",
  "202-0000001-0000003",
  "202-0000001-0000004",
];

let owner: Awaited<ReturnType<typeof signUp>>;
let readKey: string;
let writeKey: string;

function inRoom<T>(fn: (core: SellerCore, sql: SqlStorage) => T | Promise<T>): Promise<T> {
  const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(owner.sellerId));
  return runInDurableObject(stub, (instance, state) =>
    fn((instance as unknown as { core: SellerCore }).core, state.storage.sql),
  );
}

const actor: ActionContext = { at: AMAZON_TIME, by: "Test" };
const act = (orderId: string, action: OrderAction) =>
  inRoom((core) => core.sync.transact((d) => applyOrderAction(d, orderId, action, actor)));

function label(orderId: string, n: number): Shipment {
  return {
    id: `${orderId}:${n}`,
    courier: "royal-mail",
    serviceCode: "TPN24",
    trackingNumber: `GQ00000000${n}GB`,
    amazonCarrierCode: "Royal Mail",
    boughtAt: Date.now(),
  };
}

async function feed(after: string | null, limit: number, token = readKey): Promise<ChangePage> {
  const res = await call(`/api/v1/changes?limit=${limit}${after === null ? "" : `&after=${after}`}`, {
    token,
  });
  expect(res.status).toBe(200);
  return json<ChangePage>(res);
}

/** Every change from `after` until the feed says there is no more. */
async function readAll(after: string | null, limit: number) {
  const seen: Change[] = [];
  let cursor = after;
  for (;;) {
    const page = await feed(cursor, limit);
    seen.push(...page.changes);
    cursor = page.nextCursor;
    if (!page.hasMore) return { seen, cursor };
  }
}

/** Waits out the notes' quiet time (room/notes-settle.ts) and runs the room's alarm that reports them. */
async function settleNotes(): Promise<void> {
  await new Promise((r) => setTimeout(r, NOTES_SETTLE_MS + 300));
  await runDurableObjectAlarm(env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(owner.sellerId)));
}

beforeAll(async () => {
  owner = await signUp("changes");
  [readKey, writeKey] = await Promise.all([apiKey(owner, "read"), apiKey(owner, "write")]);
  // Amazon's orders, last updated by Amazon long ago.
  await inRoom((core) =>
    core.sync.transact(
      (d) =>
        upsertOrders(
          d,
          [A, B, C, D].map((id) => ({ ...order(id), lastUpdated: AMAZON_TIME })),
          "import",
        ),
      "import",
    ),
  );
});

describe("the change feed", () => {
  it("moves the revision on our own changes, so updatedSince and sort=updated find them, and lists each once", async () => {
    const start = await readAll(null, 500);
    expect(start.seen.map((c) => [c.type, c.orderId])).toEqual([
      ["order.created", A],
      ["order.created", B],
      ["order.created", C],
      ["order.created", D],
    ]);
    const since = new Date().toISOString();

    await act(A, { type: "markReady" });
    await act(A, { type: "labelBought", shipment: label(A, 0) });
    await act(B, { type: "markReady" });
    await act(B, { type: "labelBought", shipment: label(B, 0) });
    await act(B, { type: "voidLabel" });
    await inRoom((core) =>
      core.sync.transact((d) => setWork(d, C, { notes: "fragile: bubble wrap" }), "device"),
    );
    // A dispatch through the API, as an integration would send it.
    const dispatched = await call("/api/v1/dispatch", { body: { orderIds: [A] }, token: writeKey });
    expect(dispatched.status).toBeLessThan(300);

    const first = await readAll(start.cursor, 2);
    // The note is reported once the typing has paused (room/notes-settle.ts), so after the dispatch.
    expect(first.seen.map((c) => [c.type, c.orderId])).toEqual([
      ["order.state_changed", A],
      ["shipment.created", A],
      ["order.state_changed", B],
      ["shipment.created", B],
      ["shipment.voided", B],
      ["order.dispatched", A],
    ]);
    await settleNotes();
    const later = await readAll(first.cursor, 2);
    expect(later.seen.map((c) => [c.type, c.orderId])).toEqual([["order.notes_changed", C]]);
    const seen = [...first.seen, ...later.seen];
    expect(seen.find((c) => c.type === "shipment.voided")).toMatchObject({
      shipmentId: `${B}:0`,
      state: "ready",
    });
    expect(seen.find((c) => c.type === "shipment.created" && c.orderId === A)).toMatchObject({
      trackingNumber: "GQ000000000GB",
    });
    const revisions = seen.map((c) => c.revision);
    expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
    expect(new Set(revisions).size).toBe(revisions.length);

    // Amazon's updatedAt did not move; our revision and changedAt did.
    const list = await json<{
      orders: { orderId: string; updatedAt: string; revision: number; changedAt: string }[];
    }>(
      await call(`/api/v1/orders?updatedSince=${encodeURIComponent(since)}&sort=updated`, { token: readKey }),
    );
    expect(list.orders.map((o) => o.orderId)).toEqual([B, A, C]);
    expect(list.orders[2]).toMatchObject({
      updatedAt: new Date(AMAZON_TIME).toISOString(),
      revision: revisions.at(-1),
    });
    expect(Date.parse(list.orders[2]!.changedAt)).toBeGreaterThanOrEqual(Date.parse(since));
    const one = await json<{ revision: number }>(await call(`/api/v1/orders/${C}`, { token: readKey }));
    expect(one.revision).toBe(seen.find((c) => c.orderId === C)!.revision);

    // Nothing new: the same cursor comes back, and an empty page.
    const after = await readAll(revisions.at(-1)!.toString(), 10);
    expect(after.seen).toEqual([]);
    expect(after.cursor).toBe(String(revisions.at(-1)));
  });

  it("sends each change as a webhook, voiding included, carrying the order at its revision", async () => {
    const created = await call("/api/v1/webhooks", {
      body: { url: "https://hooks.example.co.uk/consign", events: ["shipment.voided", "shipment.created"] },
      token: owner.accessToken,
    });
    expect(created.status).toBe(201);
    await act(D, { type: "markReady" });
    await act(D, { type: "labelBought", shipment: label(D, 0) });
    await act(D, { type: "voidLabel" });
    const messages = await inRoom((_core, sql) =>
      [
        ...sql.exec<{ event_type: string; body: string }>(
          "SELECT event_type, body FROM webhook_messages ORDER BY created_at, rowid",
        ),
      ].map((m) => ({
        type: m.event_type,
        body: JSON.parse(m.body) as { data: { orderId: string; revision: number } },
      })),
    );
    expect(messages.map((m) => m.type)).toEqual(["shipment.created", "shipment.voided"]);
    const last = await feed(null, 500);
    const voided = last.changes.find((c) => c.type === "shipment.voided" && c.orderId === D)!;
    expect(messages[1]!.body.data).toMatchObject({
      orderId: D,
      revision: voided.revision,
      shipments: [{ voidedAt: expect.any(String) }],
    });
  });

  it("reports a note typed key by key once, when the typing pauses, with the whole note", async () => {
    const from = (await readAll(null, 500)).cursor;
    const note = "Leave with no. 12";
    // One update per keystroke, as a tablet's collaborative text sends them.
    for (let i = 1; i <= note.length; i++)
      await inRoom((core) =>
        core.sync.transact((d) => writeTextField(d, D, "notes", note.slice(0, i)), "device"),
      );
    expect((await readAll(from, 50)).seen).toEqual([]);
    await settleNotes();
    const { seen } = await readAll(from, 50);
    expect(seen.map((c) => [c.type, c.orderId])).toEqual([["order.notes_changed", D]]);
    const order = await json<{ notes: string | null; revision: number }>(
      await call(`/api/v1/orders/${D}`, { token: readKey }),
    );
    expect(order.notes).toBe(note);
    expect(order.revision).toBe(seen[0]!.revision);
  });

  it("gives every change exactly once, in order, while writes race the reads", async () => {
    const from = (await readAll(null, 500)).cursor;
    const writes = (async () => {
      for (let i = 0; i < 40; i++) {
        await inRoom((core) =>
          core.sync.transact(
            (d) => setWork(d, [A, B, C, D][i % 4]!, { package: { weightGrams: 500 + i } }),
            "device",
          ),
        );
      }
    })();
    const seen: Change[] = [];
    let cursor = from;
    let done = false;
    void writes.then(() => {
      done = true;
    });
    // Read in small pages while the writes land, then once more after the last one.
    for (let quiet = 0; quiet < 2; ) {
      const page = await feed(cursor, 3);
      seen.push(...page.changes);
      cursor = page.nextCursor;
      if (done && !page.hasMore) quiet++;
    }
    await writes;
    expect(seen).toHaveLength(40);
    expect(seen.map((c) => c.revision)).toEqual(seen.map((_, i) => Number(from) + i + 1));
    expect(seen.every((c) => c.type === "order.updated")).toBe(true);
  });

  it("records once that stock can no longer fill an open order", async () => {
    const from = (await readAll(null, 500)).cursor;
    // One mug in stock for three open orders (A has gone): the oldest (B) gets it, C and D are short.
    const adjusted = await call("/api/v1/stock/adjustments", {
      body: { changes: [{ sku: "MUG-0001-BL", delta: 1 }] },
      token: writeKey,
    });
    expect(adjusted.status).toBe(200);
    const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(owner.sellerId));
    await runDurableObjectAlarm(stub);
    await runDurableObjectAlarm(stub);
    const { seen } = await readAll(from, 50);
    // Exactly the orders the stock view says stock cannot fill, each once, with what they lack.
    const stock = await json<{ unfillable: { orderId: string; short: unknown[] }[] }>(
      await call("/api/v1/stock", { token: readKey }),
    );
    expect(stock.unfillable.length).toBeGreaterThan(0);
    const short = seen.filter((c) => c.type === "order.stock_short");
    expect(short.map((c) => [c.orderId, c.short]).sort()).toEqual(
      stock.unfillable.map((u) => [u.orderId, u.short]).sort(),
    );
    expect(short.every((c) => c.short?.[0]?.sku === "MUG-0001-BL")).toBe(true);
  });

  it("answers a cursor that is not ours with 400 naming it", async () => {
    const res = await call("/api/v1/changes?after=abc", { token: readKey });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { fields: [{ path: "after" }] } });
  });
});
