// A new device's first screen from the room (issue 23): GET /sync/{sellerId}/first-screen answers
// the first rows of every view, the counts and the dispatch clock's figures from the team's copy, to
// whoever may open the seller's socket, and to nobody else.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { applyOrderAction, upsertOrders } from "@consign/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { SellerCore } from "../src/room/core.ts";
import { addMember, call, json, signUp } from "./helpers.ts";
import { order } from "./sync-fixtures.ts";

interface Screen {
  version: number;
  sellerId: string;
  at: number;
  counts: Record<string, number>;
  dispatch: { left: number; late: number; missCollection: number };
  couriers: unknown[];
  views: Record<string, string[]>;
  orders: { orderId: string; state: string; history?: unknown }[];
}

const ORDERS = 40;
// Deadlines in reverse of the order numbers, so the list's order (by deadline) is not the import's.
const ids = Array.from({ length: ORDERS }, (_, i) => `204-0000001-${String(i).padStart(7, "0")}`);
const HELD = ids[ORDERS - 1]!;

let owner: Awaited<ReturnType<typeof signUp>>;

function inRoom<T>(sellerId: string, fn: (core: SellerCore) => T): Promise<T> {
  const stub = env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(sellerId));
  return runInDurableObject(stub, (instance) => fn((instance as unknown as { core: SellerCore }).core));
}

const firstScreen = (sellerId: string, token?: string) => call(`/sync/${sellerId}/first-screen`, { token });

beforeAll(async () => {
  owner = await signUp("first-screen");
  const at = Date.UTC(2026, 3, 1);
  await inRoom(owner.sellerId, (core) => {
    core.sync.transact(
      (d) =>
        upsertOrders(
          d,
          ids.map((id, i) => ({ ...order(id, at), latestShipDate: at + (ORDERS - i) * 3_600_000 })),
          "import",
        ),
      "import",
    );
    core.sync.transact((d) => applyOrderAction(d, HELD, { type: "hold" }, { at, by: "Test" }));
  });
});

describe("a new device's first screen from the room", { timeout: 60_000 }, () => {
  it("answers the first rows of every view in the list's order, the counts, and no history", async () => {
    const res = await firstScreen(owner.sellerId, owner.accessToken);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const screen = await json<Screen>(res);
    expect(screen.version).toBe(1);
    expect(screen.sellerId).toBe(owner.sellerId);
    expect(screen.counts.all).toBe(ORDERS);
    expect(screen.counts.on_hold).toBe(1);
    // "All": the 30 nearest deadlines first (the last imported come first here).
    expect(screen.views.all).toEqual([...ids].reverse().slice(0, 30));
    expect(screen.views.on_hold).toEqual([HELD]);
    // Each record once, whichever views show it, and without the history no row draws.
    const held = screen.orders.find((o) => o.orderId === HELD);
    expect(held?.state).toBe("on_hold");
    expect(new Set(screen.orders.map((o) => o.orderId)).size).toBe(screen.orders.length);
    for (const id of Object.values(screen.views).flat())
      expect(screen.orders.some((o) => o.orderId === id)).toBe(true);
    expect(screen.orders.every((o) => o.history === undefined)).toBe(true);
    expect(Object.keys(screen.dispatch).sort()).toEqual(["late", "left", "missCollection"]);
  });

  it("shows a viewer and a packer what the owner sees (they get the whole document too)", async () => {
    const [viewer, packer] = await Promise.all([
      addMember(owner, "viewer", "fs-viewer"),
      addMember(owner, "packer", "fs-packer"),
    ]);
    const mine = await json<Screen>(await firstScreen(owner.sellerId, owner.accessToken));
    for (const who of [viewer, packer]) {
      const res = await firstScreen(owner.sellerId, who.accessToken);
      expect(res.status).toBe(200);
      const theirs = await json<Screen>(res);
      expect(theirs.views).toEqual(mine.views);
      expect(theirs.counts).toEqual(mine.counts);
    }
  });

  it("refuses without a token, with a forged one, another seller's, or a signed-out device's", async () => {
    const none = await firstScreen(owner.sellerId);
    expect(none.status).toBe(401);
    expect((await json<{ error: { code: string } }>(none)).error.code).toBe("unauthenticated");
    expect((await firstScreen(owner.sellerId, "not-a-token")).status).toBe(401);

    const other = await signUp("first-screen-other");
    const crossed = await firstScreen(owner.sellerId, other.accessToken);
    expect(crossed.status).toBe(403);
    expect(JSON.stringify(await crossed.json())).not.toContain(ids[0]);

    const leaving = await addMember(owner, "packer", "fs-leaving");
    expect((await firstScreen(owner.sellerId, leaving.accessToken)).status).toBe(200);
    expect(
      (await call("/auth/signout", { method: "POST", token: leaving.sessionToken })).status,
    ).toBeLessThan(300);
    // The access token has not expired, but the room knows the device was signed out.
    expect((await firstScreen(owner.sellerId, leaving.accessToken)).status).toBe(401);
  });

  it("answers an empty seller with empty views and zero counts", async () => {
    const empty = await signUp("first-screen-empty");
    const res = await firstScreen(empty.sellerId, empty.accessToken);
    expect(res.status).toBe(200);
    const screen = await json<Screen>(res);
    expect(screen.orders).toEqual([]);
    expect(Object.values(screen.views).every((v) => v.length === 0)).toBe(true);
    expect(Object.values(screen.counts).every((n) => n === 0)).toBe(true);
    expect(screen.dispatch).toEqual({ left: 0, late: 0, missCollection: 0 });
  });
});
