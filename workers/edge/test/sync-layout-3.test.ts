// Layout 3 in the seller's room (@consign/sync layout.ts, worked-out.ts): the parcel and service the room
// works out for each order live in its record, not in two working keys per order. A room stored in
// layout 2 renews into layout 3 at a quiet time with nothing lost: the API's orders, the change feed
// and the first screen read the same before and after, a person's choice stays theirs, and what the
// room works out afterwards lands in the records.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Order } from "@consign/domain";
import {
  documentLayout,
  LAYOUT_KEY,
  listOrders,
  metaMap,
  readRecord,
  setWork,
  upsertOrders,
  workMap,
} from "@consign/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { SellerCore } from "../src/room/core.ts";
import { call, json, signUp } from "./helpers.ts";
import { order } from "./sync-fixtures.ts";

const ORDERS = 12;
const ids = Array.from({ length: ORDERS }, (_, i) => `205-0000003-${String(i).padStart(7, "0")}`);
const WEIGHED = ids[0]!;
const CHOSEN = ids[1]!;

type ApiOrder = { orderId: string; package: unknown; service: unknown; revision: number; state: string };
type Screen = { counts: Record<string, number>; views: Record<string, string[]>; orders: unknown[] };
type ChangePage = { changes: { orderId: string; type: string }[]; nextCursor: string; hasMore: boolean };

let owner: Awaited<ReturnType<typeof signUp>>;

function inRoom<T>(fn: (core: SellerCore) => T): Promise<T> {
  const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(owner.sellerId));
  return runInDurableObject(stub, (instance) => fn((instance as unknown as { core: SellerCore }).core));
}

/** Forgets the room's document, as an eviction would: the next use loads it from SQLite. */
const reload = () =>
  inRoom((core) => {
    (core.sync as unknown as { current: unknown }).current = null;
  });

const apiOrders = async () =>
  (await json<{ orders: ApiOrder[] }>(await call("/api/v1/orders?limit=100", { token: owner.accessToken })))
    .orders;
const firstScreen = async () => {
  // What the rows and counts show (the dispatch clock's figures move with the time).
  const { counts, views, orders } = await json<Screen>(
    await call(`/sync/${owner.sellerId}/first-screen`, { token: owner.accessToken }),
  );
  return { counts, views, orders };
};
const changesAfter = async (cursor: string | null) =>
  json<ChangePage>(
    await call(`/api/v1/changes?limit=500${cursor === null ? "" : `&after=${cursor}`}`, {
      token: owner.accessToken,
    }),
  );
async function latestCursor(): Promise<string | null> {
  let cursor: string | null = null;
  for (;;) {
    const page = await changesAfter(cursor);
    cursor = page.nextCursor;
    if (!page.hasMore) return cursor;
  }
}
const weighAll = async (grams: number, skus: string[]) => {
  const res = await call("/api/v1/settings", {
    token: owner.accessToken,
    method: "PATCH",
    body: { skuWeights: Object.fromEntries(skus.map((s) => [s, grams])) },
  });
  expect(res.status).toBe(200);
};

beforeAll(async () => {
  owner = await signUp("layout-3");
  const at = Date.UTC(2026, 3, 1);
  // A room as layout 2 stored it: the import's orders, then their parcel and service worked out.
  await inRoom((core) =>
    core.sync.transact((d) => {
      metaMap(d).set(LAYOUT_KEY, 2);
      upsertOrders(
        d,
        ids.map((id, i): Order => ({ ...order(id, at), latestShipDate: at + (ORDERS - i) * 3_600_000 })),
        "import",
      );
    }, "import"),
  );
});

describe("layout 3 in the seller's room", { timeout: 60_000 }, () => {
  it("renews a layout 2 room into layout 3 with nothing lost: the API, the change feed and the first screen read the same", async () => {
    const skus = await inRoom((core) => [
      ...new Set(listOrders(core.sync.doc).flatMap((o) => o.items.map((i) => i.sku))),
    ]);
    await weighAll(300, skus);
    await inRoom((core) =>
      core.sync.transact((d) => {
        setWork(d, WEIGHED, { package: { weightGrams: 1_250, source: "entered" } });
        setWork(d, CHOSEN, {
          service: { courier: "evri", serviceCode: "EVRI24", source: "override", reason: "Chosen by hand." },
        });
      }),
    );
    const layout2 = await inRoom((core) => ({
      layout: documentLayout(core.sync.doc),
      workKeys: workMap(core.sync.doc).size,
    }));
    // Layout 2: every order's worked-out parcel (and service, where a rule matched) is a working key.
    expect(layout2.layout).toBe(2);
    expect(layout2.workKeys).toBeGreaterThanOrEqual(ORDERS);
    const before = { orders: await apiOrders(), screen: await firstScreen() };
    expect(before.orders.find((o) => o.orderId === ids[5])?.package).toMatchObject({ weightGrams: 300 });
    const cursor = await latestCursor();

    expect(await inRoom((core) => core.sync.rebaseIfNeeded())).toBe(true);
    await reload();
    const after = await inRoom((core) => ({
      layout: documentLayout(core.sync.doc),
      workKeys: [...workMap(core.sync.doc).keys()].sort(),
      record: readRecord(core.sync.doc, ids[5]!),
    }));
    expect(after.layout).toBe(3);
    // Only people's choices are working keys now; what the room worked out is in each record.
    expect(after.workKeys).toEqual([`${WEIGHED}/package`, `${CHOSEN}/service`].sort());
    expect(after.record?.package).toMatchObject({ weightGrams: 300, source: "sku" });
    expect(await apiOrders()).toEqual(before.orders);
    expect(await firstScreen()).toEqual(before.screen);
    // The renewal changed no order: nothing new in the change feed.
    expect((await changesAfter(cursor)).changes).toEqual([]);
  });

  it("works orders out into their records afterwards, and a person's choice still wins", async () => {
    const skus = await inRoom((core) => [
      ...new Set(listOrders(core.sync.doc).flatMap((o) => o.items.map((i) => i.sku))),
    ]);
    const cursor = await latestCursor();
    await weighAll(450, skus);
    const orders = await apiOrders();
    for (const o of orders) {
      if (o.orderId === WEIGHED) expect(o.package).toMatchObject({ weightGrams: 1_250 });
      else expect(o.package).toMatchObject({ weightGrams: 450 });
    }
    expect(orders.find((o) => o.orderId === CHOSEN)?.service).toMatchObject({
      courier: "evri",
      serviceCode: "EVRI24",
    });
    // Each re-weighed order is a change in the feed, as it was when the parcel was a working key.
    const changed = new Set((await changesAfter(cursor)).changes.map((c) => c.orderId));
    expect(changed).toEqual(new Set(ids.filter((id) => id !== WEIGHED)));
    const work = await inRoom((core) => [...workMap(core.sync.doc).keys()].sort());
    expect(work).toEqual([`${WEIGHED}/package`, `${CHOSEN}/service`].sort());
    // Reloaded from SQLite, the room reads the same.
    await reload();
    expect(await apiOrders()).toEqual(orders);
  });
});
