// The fault suite for the live document, inside workerd: devices editing random fields with
// random offline spells, the room evicted (in-memory document dropped) and restarted (every
// Durable Object aborted) mid-burst, a reconnect storm after a restart, and a device whose clock
// is hours wrong. At the end: every edit is in the final document or superseded by another edit
// of the same field, and every device (and the room) holds the same document.
//
// The short version runs in `npm test`; `npm run test:faults` runs the long one
// (CONSIGN_FAULT_SCALE=10: ten times the edits, orders and storm).

import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { adjustStock, readOrder, setWork, stockLevel } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { order, orderIds } from "./sync-fixtures.ts";
import { type Client, connect, room, stateOf, synced, waitFor } from "./sync-helpers.ts";

const SCALE = Math.max(1, Number((env as unknown as { FAULT_SCALE?: string }).FAULT_SCALE ?? "1"));
const HOURS = 3_600_000;

/** Deterministic pseudo-random numbers (mulberry32): a failure replays with the same seed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function roomState(stub: ReturnType<typeof room>): Promise<Y.Doc> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await stub.state());
  return doc;
}

/** Every device, and the room, hold the same document. */
async function converged(clients: Client[], stub: ReturnType<typeof room>, timeoutMs: number) {
  const closes: string[] = [];
  for (const [i, c] of clients.entries())
    c.refused.then((e) => closes.push(`device ${i}: ${e.code} ${e.reason}`));
  const report = setTimeout(() => {
    const states = clients.map(
      (c, i) =>
        `${i}:${c.provider.wsconnected ? "on" : "off"}/${c.provider.synced ? "synced" : "-"}/${c.provider.shouldConnect}`,
    );
    console.log(`not converged: ${states.join(" ")}; refused: ${closes.join("; ") || "none"}`);
  }, timeoutMs - 1_000);
  await waitFor(
    () => clients.every((c) => c.provider.synced) && new Set(clients.map((c) => stateOf(c.doc))).size === 1,
    "every device to hold the same document",
    timeoutMs,
  ).finally(() => clearTimeout(report));
  const start = Date.now();
  for (;;) {
    if (stateOf(await roomState(stub)) === stateOf(clients[0]!.doc)) return;
    if (Date.now() - start > timeoutMs) throw new Error("the room's document differs from the devices'");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe(`faults on the live document (scale ${SCALE})`, { timeout: 240_000 * SCALE }, () => {
  it("10 devices, random edits, offline spells, an eviction and a restart mid-burst, one clock hours wrong: no edit lost", async () => {
    const name = `faults-${SCALE}`;
    let stub = room(name);
    const ids = orderIds(20 * SCALE, "203-0000090");
    await stub.importOrders(ids.map((id) => order(id)));
    // Every device's edits are its own to make: the room must never refuse one (a refusal is terminal).
    const refusals: string[] = [];
    const watched = (c: Client, i: number) => {
      void c.refused.then((e) => refusals.push(`device ${i}: ${e.code} ${e.reason}`));
      return c;
    };
    const clients: Client[] = Array.from({ length: 10 }, (_, i) =>
      watched(connect(stub, { userId: `device-${i}` }), i),
    );
    const rand = random(15);
    // What each field was set to, by whom, so the end can tell "kept or superseded".
    const noteTokens = new Map<string, string[]>();
    const packageWrites = new Map<string, Set<number>>();
    let stockTaken = 0;
    try {
      await Promise.all(clients.map(synced));
      await waitFor(
        () => clients.every((c) => readOrder(c.doc, ids.at(-1)!) !== undefined),
        "the import everywhere",
      );
      const edits = 300 * SCALE;
      for (let n = 0; n < edits; n++) {
        const i = Math.floor(rand() * clients.length);
        const c = clients[i]!;
        const id = ids[Math.floor(rand() * ids.length)]!;
        // Device 9's clock is six hours ahead: its history says so, and nothing else may care.
        const now = Date.now() + (i === 9 ? 6 * HOURS : 0);
        const pick = rand();
        if (pick < 0.45) {
          // A note typed into: a token appended to the collaborative text (never superseded).
          const token = `[${n}]`;
          const current = readOrder(c.doc, id)?.notes ?? "";
          setWork(c.doc, id, { notes: current + token });
          noteTokens.set(id, [...(noteTokens.get(id) ?? []), token]);
        } else if (pick < 0.8) {
          const grams = 1 + n;
          const history = [
            ...(readOrder(c.doc, id)?.history ?? []),
            { at: now, by: `device-${i}`, action: "package" },
          ];
          setWork(c.doc, id, { package: { weightGrams: grams }, history: history.slice(-20) });
          packageWrites.set(id, (packageWrites.get(id) ?? new Set()).add(grams));
        } else {
          adjustStock(c.doc, "MUG-BLUE-350", -1, { counterId: `device-${i}` });
          stockTaken++;
        }
        // Random offline spells: a device drops off now and then and comes back later.
        if (rand() < 0.03 && c.provider.wsconnected) c.provider.disconnect();
        if (rand() < 0.06) {
          const away = clients.find((d) => !d.provider.wsconnected && d.provider.shouldConnect === false);
          away?.provider.connect();
        }
        if (n === Math.floor(edits / 3)) await stub.forget(); // evicted: the document reloads from SQLite
        if (n === Math.floor((2 * edits) / 3)) {
          // Restarted: every socket drops; each device reconnects (to the restarted object: a
          // stub does not outlive a reset) with its document as it stands, offline edits included.
          await abortAllDurableObjects();
          stub = room(name);
          for (const [k, d] of clients.entries()) {
            const offline = !d.provider.shouldConnect;
            d.destroy();
            clients[k] = watched(connect(stub, { userId: `device-${k}`, doc: d.doc, connect: !offline }), k);
          }
        }
        if (n % 20 === 0) await new Promise((r) => setTimeout(r, 2));
      }
      for (const d of clients) if (!d.provider.shouldConnect) d.provider.connect();
      await converged(clients, stub, 60_000 * SCALE);
      expect(refusals).toEqual([]);

      const final = clients[0]!.doc;
      for (const [id, tokens] of noteTokens) {
        const note = readOrder(final, id)?.notes ?? "";
        for (const token of tokens) expect(note, `order ${id}`).toContain(token);
      }
      for (const [id, written] of packageWrites) {
        // Last writer wins per field: the value kept is one of the values written, no other.
        expect(written.has(readOrder(final, id)?.package?.weightGrams ?? -1), `order ${id}`).toBe(true);
      }
      for (const c of clients) expect(stockLevel(c.doc, "MUG-BLUE-350")).toBe(-stockTaken);
      expect(clients.every((c) => c.provider.wsconnected)).toBe(true);
    } finally {
      for (const c of clients) c.destroy();
    }
  });

  it("a reconnect storm after a restart: every device back in sync with the same document", async () => {
    const name = `storm-${SCALE}`;
    let stub = room(name);
    const ids = orderIds(200 * SCALE, "203-0000091");
    await stub.importOrders(ids.map((id) => order(id)));
    const first = connect(stub, { userId: "first" });
    await synced(first);
    setWork(first.doc, ids[0]!, { notes: "before the restart" });
    await waitFor(() => first.provider.synced, "the first device");
    const expected = async () => stateOf(await roomState(stub));
    const start = Date.now();
    for (;;) {
      if ((await expected()).includes("before the restart")) break;
      if (Date.now() - start > 10_000) throw new Error("the note never reached the room");
      await new Promise((r) => setTimeout(r, 20));
    }
    first.destroy();
    await abortAllDurableObjects();
    stub = room(name);
    const storm = Array.from({ length: 50 }, (_, i) => connect(stub, { userId: `storm-${i}` }));
    try {
      const t0 = Date.now();
      await Promise.all(storm.map((c) => waitFor(() => c.provider.synced, "a storm device", 60_000)));
      const seconds = (Date.now() - t0) / 1000;
      await converged(storm, stub, 30_000);
      expect(readOrder(storm[49]!.doc, ids[0]!)?.notes).toBe("before the restart");
      expect(storm[0]!.doc.getMap("orders").size).toBe(ids.length);
      console.log(`reconnect storm: 50 devices, ${ids.length} orders, all synced in ${seconds.toFixed(2)} s`);
    } finally {
      for (const c of storm) c.destroy();
    }
  });
});
