import { env } from "cloudflare:test";
import type { Order } from "@consign/domain";
import { readOrder, upsertOrders } from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { buyLabelsInBulk } from "../src/labels/bulk.ts";
import { createCourierSet } from "../src/labels/couriers.ts";
import type { LabelRequest } from "../src/labels/ledger.ts";
import {
  credentialsFor,
  fast,
  inSellerRoom,
  newLedger,
  royalMailOrders,
  setFaults,
} from "../src/labels/testing.ts";
import { EndOfDay } from "../src/room/manifests.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function dayOfOrders(rm: number, dpd: number, evri: number): LabelRequest[] {
  const royalMail = royalMailOrders(rm + dpd + evri);
  return royalMail.map((r, i) => {
    if (i < rm) return r;
    const courier = i < rm + dpd ? ("dpd" as const) : ("evri" as const);
    return {
      ...r,
      courier,
      shipment: { ...r.shipment, serviceCode: courier === "dpd" ? "1^12" : "EVRI48" },
    };
  });
}

/** A live document holding the orders with their bought shipments, as the label run leaves it. */
function roomWith(orders: LabelRequest[], ledger: ReturnType<typeof newLedger>) {
  const doc = new Y.Doc();
  const room = { doc, transact: (fn: (d: Y.Doc) => void) => doc.transact(() => fn(doc), "server") };
  const records: Order[] = orders.map((r) => {
    const label = ledger.current(r.orderId);
    return {
      orderId: r.orderId,
      shipments: label?.trackingNumber
        ? [
            {
              id: label.key,
              courier: label.courier,
              serviceCode: label.serviceCode,
              trackingNumber: label.trackingNumber,
              amazonCarrierCode: label.amazonCarrierCode ?? "Other",
              boughtAt: label.boughtAt ?? 0,
            },
          ]
        : [],
    } as unknown as Order;
  });
  upsertOrders(doc, records, "server", { work: "replace" });
  return room;
}

function endOfDay(state: DurableObjectState, account: string, room: ReturnType<typeof roomWith>) {
  const set = createCourierSet(env, credentialsFor(account), { rateLimits: fast });
  return new EndOfDay({
    sql: state.storage.sql,
    room,
    documents: env.LABELS,
    prefix: `seller-${account}`,
    manifests: async () => set.royalMailManifests(),
  });
}

describe("end of day: a Royal Mail manifest", () => {
  it("closes a day of 200 labels over three couriers: Royal Mail's on the manifest, voided before it, refused after", async () => {
    const account = crypto.randomUUID();
    const orders = dayOfOrders(120, 40, 40);
    const rm = orders.filter((o) => o.courier === "royal-mail");
    const dpd = orders.filter((o) => o.courier === "dpd");
    const seen = await inSellerRoom(async (state) => {
      const ledger = newLedger(state, account);
      const summary = await buyLabelsInBulk(orders, { ledger, onProgress: () => undefined });
      // A packer voids one Royal Mail label during the day: it is cancelled and stays off the manifest.
      const voidedBefore = await ledger.voidLabel(rm[0]!.orderId);
      const room = roomWith(orders, ledger);
      const day = endOfDay(state, account, room);
      const manifest = await day.close("Sam");
      const pdf = await day.document(manifest.id);
      // After the manifest: the room refuses with a reason, and so does Royal Mail itself.
      const second = ledger.current(rm[1]!.orderId)!;
      const refusal = day.voidRefusal(second.key, second.trackingNumber!);
      const courierRefusal = await ledger.voidLabel(rm[1]!.orderId).catch((e: Error) => e.message);
      // DPD and Evri are not on a Royal Mail manifest: still voidable.
      const dpdVoid = await ledger.voidLabel(dpd[0]!.orderId);
      const marked = readOrder(room.doc, rm[5]!.orderId)?.shipments[0]?.manifest;
      const unmarked = readOrder(room.doc, dpd[5]!.orderId)?.shipments[0]?.manifest;
      const again = await day.close("Sam").catch((e: Error) => e.message);
      return {
        summary,
        voidedBefore,
        manifest,
        pdf,
        refusal,
        courierRefusal,
        dpdVoid,
        marked,
        unmarked,
        again,
      };
    });
    expect(seen.summary.bought).toBe(200);
    expect(seen.voidedBefore.state).toBe("voided");
    expect(seen.manifest).toMatchObject({
      state: "completed",
      labels: 119,
      documentReady: true,
      auto: false,
    });
    expect(seen.manifest.manifestNumber).toBeGreaterThan(1000);
    expect(seen.manifest.labelIds).not.toContain(`${rm[0]!.orderId}:1`);
    expect(text(seen.pdf!)).toContain(`Manifest ${seen.manifest.manifestNumber}`);
    expect(text(seen.pdf!)).toContain("Items: 119");
    expect(seen.refusal).toMatch(
      new RegExp(
        `was handed to Royal Mail on manifest ${seen.manifest.manifestNumber} \\(.+\\); a manifested label can no longer be voided`,
      ),
    );
    expect(seen.courierRefusal).toMatch(
      /Royal Mail would not cancel .*manifested on .* can no longer be deleted/,
    );
    expect(seen.dpdVoid.state).toBe("voided");
    expect(seen.marked).toEqual({ number: String(seen.manifest.manifestNumber), at: expect.any(Number) });
    expect(seen.unmarked).toBeUndefined();
    expect(seen.again).toBe(
      "No Royal Mail labels have been bought since the last manifest: there is nothing to hand over.",
    );
  });

  it("a manifest whose paperwork comes later is followed until the PDF is ready", async () => {
    const account = crypto.randomUUID();
    await setFaults("royalmail", account, { manifestPdfPending: 2 });
    const orders = royalMailOrders(5);
    const seen = await inSellerRoom(async (state) => {
      const ledger = newLedger(state, account);
      await buyLabelsInBulk(orders, { ledger, onProgress: () => undefined });
      const day = endOfDay(state, account, roomWith(orders, ledger));
      const first = await day.close("Sam");
      const polls: (number | null)[] = [await day.poll(), await day.poll(), await day.poll()];
      return { first, polls, after: day.get(first.id), pdf: await day.document(first.id) };
    });
    expect(seen.first).toMatchObject({ state: "in_progress", documentReady: false, labels: 5 });
    // Royal Mail says "In Progress" twice: the room asks again, then has the PDF and stops asking.
    expect(seen.polls.slice(0, 2)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(seen.polls[2]).toBeNull();
    expect(seen.after).toMatchObject({ state: "completed", documentReady: true });
    expect(text(seen.pdf!)).toContain("Items: 5");
  });

  it("a manifest Royal Mail could not process is retried; labels stay held while it is", async () => {
    const account = crypto.randomUUID();
    await setFaults("royalmail", account, { manifestFailures: 2 });
    const orders = royalMailOrders(3);
    const seen = await inSellerRoom(async (state) => {
      const ledger = newLedger(state, account);
      await buyLabelsInBulk(orders, { ledger, onProgress: () => undefined });
      const day = endOfDay(state, account, roomWith(orders, ledger));
      const m = await day.close("Sam");
      const label = ledger.current(orders[0]!.orderId)!;
      const held = day.voidRefusal(label.key, label.trackingNumber!);
      const polls = [await day.poll(), await day.poll()];
      return { m, held, polls, after: day.get(m.id) };
    });
    // Royal Mail gave a number but could not process the orders: followed, retried, then done.
    expect(seen.m).toMatchObject({ state: "in_progress", labels: 3 });
    expect(seen.held).toMatch(/can no longer be voided/);
    expect(seen.polls[1]).toBeNull();
    expect(seen.after).toMatchObject({ state: "completed", documentReady: true, labels: 3 });
  });

  it("when Royal Mail is down the close says so and the labels stay voidable", async () => {
    const account = crypto.randomUUID();
    const orders = royalMailOrders(2);
    const seen = await inSellerRoom(async (state) => {
      const ledger = newLedger(state, account);
      await buyLabelsInBulk(orders, { ledger, onProgress: () => undefined });
      await setFaults("royalmail", account, { down: true });
      const day = endOfDay(state, account, roomWith(orders, ledger));
      const m = await day.close("Sam");
      const label = ledger.current(orders[0]!.orderId)!;
      return { m, refusal: day.voidRefusal(label.key, label.trackingNumber!) };
    });
    expect(seen.m.state).toBe("uncertain");
    expect(seen.m.error).toMatch(/Royal Mail had a fault \(HTTP 503\).*check Click & Drop, or retry/);
    expect(seen.refusal).toBeUndefined();
  });
});
