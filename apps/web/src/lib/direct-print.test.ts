import type { Order } from "@consign/domain";
import {
  arbitratePrintClaims,
  createConsignDoc,
  printQueueMap,
  readOrder,
  upsertOrders,
} from "@consign/sync";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { type LabelPrinter, runDirectPrint, type ZplMaker } from "./direct-print.ts";
import { DocHost } from "./doc-host.ts";
import type { FromWorker, ToWorker } from "./doc-messages.ts";
import { printQueueRemotely, remotePrintQueue } from "./print-claims.ts";
import { loadedLive } from "./test-live.ts";
import { testOrder } from "./test-orders.ts";
import { PrinterError, parseHostStatus, problemWords } from "./usb-printer.ts";

const orders: Order[] = Array.from({ length: 12 }, (_, i) => {
  const orderId = `203-0000000-00000${String(i + 10)}`;
  return testOrder({
    orderId,
    state: "label_bought",
    labelRevision: 1,
    shipments: [
      {
        id: `${orderId}:1`,
        courier: "royal-mail",
        serviceCode: "TPN24",
        trackingNumber: `GQ0000000${String(i + 10)}GB`,
        amazonCarrierCode: "Royal Mail",
        boughtAt: 1,
      },
    ],
  });
});

/** Stands in for a USB printer: records each label it takes; can be unplugged or run out of labels. */
class StandInPrinter implements LabelPrinter {
  readonly name = "Stand-in printer";
  readonly received: string[] = [];
  problem: "unplugged" | "out_of_labels" | undefined;
  failAfter = Number.POSITIVE_INFINITY;
  async ready() {
    if (this.problem === "out_of_labels")
      throw new PrinterError("out_of_labels", problemWords("out_of_labels"));
  }
  async send(zpl: string) {
    if (this.received.length >= this.failAfter) this.problem = "unplugged";
    if (this.problem === "unplugged") throw new PrinterError("unplugged", problemWords("unplugged"));
    this.received.push(zpl);
  }
}

const makeZpl: ZplMaker = async (list) => ({
  labels: list.map((o) => ({
    orderId: o.orderId,
    trackingNumber: o.shipments[0]!.trackingNumber,
    zpl: `^XA^FD${o.shipments[0]!.trackingNumber}^FS^XZ`,
  })),
  errors: {},
});

/**
 * Stands in for the room: devices' updates reach it a moment later, it decides their claims
 * (as the SellerRoom does) and its writes reach every device a moment later.
 */
function roomFor(devices: Y.Doc[]): Y.Doc {
  const room = docWithOrders(100);
  for (const d of devices) {
    Y.applyUpdate(d, Y.encodeStateAsUpdate(room), "room"); // the orders, as the room has them
    d.on("update", (u: Uint8Array, origin: unknown) => {
      if (origin !== "room") setTimeout(() => Y.applyUpdate(room, u, "device"), 1);
    });
  }
  printQueueMap(room).observe((e) => {
    if (e.transaction.origin !== "device") return;
    const changed = new Map<string, unknown>();
    for (const [key, c] of e.changes.keys) changed.set(key, c.oldValue);
    queueMicrotask(() => arbitratePrintClaims(room, changed, Date.now(), "arbiter"));
  });
  room.on("update", (u: Uint8Array) => {
    for (const d of devices) setTimeout(() => Y.applyUpdate(d, u, "room"), 1);
  });
  return room;
}

function docWithOrders(clientID?: number): Y.Doc {
  const doc = createConsignDoc(clientID === undefined ? {} : { clientID });
  upsertOrders(doc, orders, "test", { work: "replace" });
  return doc;
}
const tracking = (zpl: string) => /\^FD(\w+)/.exec(zpl)?.[1];
const tick = () => new Promise<void>((r) => setTimeout(r, 2));

/**
 * Two tablets print the same run at once, each label printed once between them; tablet A prints through
 * `docOfA` (its document itself, or a page served by a worker holding it), B on its own document.
 */
async function twoTabletsRace(docOfA: (a: Y.Doc) => Y.Doc): Promise<void> {
  const a = createConsignDoc({ clientID: 1 });
  const b = createConsignDoc({ clientID: 2 });
  roomFor([a, b]);
  const pa = new StandInPrinter();
  const pb = new StandInPrinter();
  const rs = await Promise.all([
    runDirectPrint({ jobId: "A", reprint: false }, orders, {
      doc: docOfA(a),
      printer: pa,
      makeZpl,
      device: "Bench 1",
      by: "Ana",
      sleep: tick,
    }),
    runDirectPrint({ jobId: "B", reprint: false }, orders, {
      doc: b,
      printer: pb,
      makeZpl,
      device: "Bench 2",
      by: "Ben",
      sleep: tick,
    }),
  ]);
  expect(rs[0].printed + rs[1].printed).toBe(12);
  const all = [...pa.received, ...pb.received].map(tracking).sort();
  expect(all).toEqual(orders.map((o) => o.shipments[0]!.trackingNumber).sort());
}

/** A tablet whose claims the room never confirms (offline) prints nothing and says why; `docOf` as above. */
async function printsNothingOffline(docOf: (doc: Y.Doc) => Y.Doc): Promise<void> {
  const printer = new StandInPrinter();
  const result = await runDirectPrint({ jobId: "j1", reprint: false }, orders, {
    doc: docOf(docWithOrders()),
    printer,
    makeZpl,
    device: "Bench 1",
    by: "Ana",
    sleep: tick,
    confirmWithinMs: 60,
  });
  expect(result.stopped).toMatch(/did not confirm these labels: this tablet may be offline/);
  expect(printer.received).toEqual([]);
}

describe("printing straight to the tablet's printer", () => {
  it("sends every label once, in order, and marks each order printed only when the printer took it", async () => {
    const doc = createConsignDoc();
    roomFor([doc]);
    const printer = new StandInPrinter();
    const result = await runDirectPrint({ jobId: "j1", reprint: false }, orders, {
      doc,
      printer,
      makeZpl,
      device: "Bench 1",
      by: "Ana",
      sleep: tick,
    });
    expect(printer.received.map(tracking)).toEqual(orders.map((o) => o.shipments[0]!.trackingNumber));
    expect(result.printed).toBe(12);
    expect(orders.every((o) => readOrder(doc, o.orderId)?.state === "printed")).toBe(true);
  });

  it("stops when the printer is unplugged, says so, and Resume prints only what was not printed", async () => {
    const doc = createConsignDoc();
    roomFor([doc]);
    const printer = new StandInPrinter();
    printer.failAfter = 5;
    const first = await runDirectPrint({ jobId: "j1", reprint: false }, orders, {
      doc,
      printer,
      makeZpl,
      device: "Bench 1",
      by: "Ana",
      sleep: tick,
    });
    expect(first.stopped).toMatch(/unplugged or switched off: plug it in/);
    expect(first.printed).toBe(5);
    expect(readOrder(doc, orders[5]!.orderId)?.state).toBe("label_bought");
    printer.problem = undefined;
    printer.failAfter = Number.POSITIVE_INFINITY;
    const resumed = await runDirectPrint({ jobId: "j2", reprint: false }, orders, {
      doc,
      printer,
      makeZpl,
      device: "Bench 1",
      by: "Ana",
      sleep: tick,
    });
    expect(resumed.printed).toBe(7);
    expect(printer.received.map(tracking)).toEqual(orders.map((o) => o.shipments[0]!.trackingNumber));
    expect(Object.values(resumed.skipped)).toEqual(Array(5).fill("Already printed by Bench 1 (Ana)"));
  });

  it("out of labels stops before the label is sent, in words", async () => {
    const doc = createConsignDoc();
    roomFor([doc]);
    const printer = new StandInPrinter();
    printer.problem = "out_of_labels";
    const result = await runDirectPrint({ jobId: "j1", reprint: false }, orders, {
      doc,
      printer,
      makeZpl,
      device: "Bench 1",
      by: "Ana",
      sleep: tick,
    });
    expect(result.stopped).toBe("The printer is out of labels: load a new roll, then Resume.");
    expect(printer.received).toEqual([]);
  });

  it("two tablets printing the same run at once print each label once between them", async () => {
    // Both tablets reach the room a moment after they write: both claim the first labels before
    // hearing of the other's claims, and the room decides who prints each.
    await twoTabletsRace((a) => a);
  });

  it("a tablet the room cannot hear (offline) prints nothing and says why", async () => {
    await printsNothingOffline((doc) => doc);
  });

  it("an explicit reprint prints labels again", async () => {
    const doc = createConsignDoc();
    roomFor([doc]);
    const printer = new StandInPrinter();
    const deps = { doc, printer, makeZpl, device: "Bench 1", by: "Ana", sleep: tick };
    await runDirectPrint({ jobId: "j1", reprint: false }, orders.slice(0, 2), deps);
    await runDirectPrint({ jobId: "j2", reprint: false }, orders.slice(0, 2), deps);
    expect(printer.received).toHaveLength(2);
    await runDirectPrint({ jobId: "j3", reprint: true }, orders.slice(0, 2), deps);
    expect(printer.received).toHaveLength(4);
  });
});

/**
 * A page served by the document worker, the worker holding `doc` (the tablet's copy): the page's own copy
 * holds no orders and no print queue, so the run asks the worker; messages cross a port a moment later, in
 * order, as a MessagePort's do. Returns the page's copy (for runDirectPrint's `doc`) and what it sent.
 */
function workerPage(doc: Y.Doc): { page: Y.Doc; sent: ToWorker[] } {
  const live = loadedLive(doc);
  const host = new DocHost(() => live, { shared: true });
  const answers = new Map<number, (m: Extract<FromWorker, { type: "print-answer" }>) => void>();
  const receive = host.connect({
    postMessage: (m) => {
      if (m.type === "print-answer") setTimeout(() => answers.get(m.id)?.(m), 0);
    },
  });
  const sent: ToWorker[] = [];
  const post = (m: ToWorker) => {
    sent.push(m);
    setTimeout(() => receive(m), 0);
  };
  post({ type: "open", sellerId: "S1", load: true });
  let next = 1;
  let edits = 1;
  const page = new Y.Doc();
  printQueueRemotely(
    page,
    remotePrintQueue(
      (ask) =>
        new Promise((resolve, reject) => {
          const id = next++;
          answers.set(id, (m) => (m.error ? reject(new Error(m.error)) : resolve(m.answer)));
          post({ type: "print", id, ask });
        }),
      (print) => post({ type: "edit", id: `e${edits++}`, edit: { kind: "labelPrint", by: "Ana", print } }),
    ),
  );
  return { page, sent };
}

describe("printing straight to the printer from a page served by the document worker", () => {
  it("claims in the worker's copy, prints each label once, and marks each order printed there", async () => {
    const doc = createConsignDoc();
    roomFor([doc]);
    const { page, sent } = workerPage(doc);
    const printer = new StandInPrinter();
    const result = await runDirectPrint({ jobId: "j1", reprint: false }, orders, {
      doc: page,
      printer,
      makeZpl,
      device: "Bench 1",
      by: "Ana",
      sleep: tick,
    });
    expect(result.printed).toBe(12);
    expect(printer.received.map(tracking)).toEqual(orders.map((o) => o.shipments[0]!.trackingNumber));
    await tick();
    expect(orders.every((o) => readOrder(doc, o.orderId)?.state === "printed")).toBe(true);
    // Nothing of the queue was written into the page's own copy: it all went to the worker.
    expect(printQueueMap(page).size).toBe(0);
    expect(sent.filter((m) => m.type === "edit")).toHaveLength(12);
  });

  it("stops when the printer is unplugged, and Resume prints exactly the labels not sent", async () => {
    const doc = createConsignDoc();
    roomFor([doc]);
    const { page } = workerPage(doc);
    const printer = new StandInPrinter();
    printer.failAfter = 5;
    const deps = { doc: page, printer, makeZpl, device: "Bench 1", by: "Ana", sleep: tick };
    const first = await runDirectPrint({ jobId: "j1", reprint: false }, orders, deps);
    expect(first.stopped).toMatch(/unplugged or switched off: plug it in/);
    expect(first.printed).toBe(5);
    await tick();
    // The label not sent is failed (so Resume may claim it again), and its order is not printed.
    expect(
      printQueueMap(doc).get(`label/${orders[5]!.orderId}/${orders[5]!.shipments[0]!.trackingNumber}`),
    ).toMatchObject({
      state: "failed",
    });
    expect(readOrder(doc, orders[5]!.orderId)?.state).toBe("label_bought");
    printer.problem = undefined;
    printer.failAfter = Number.POSITIVE_INFINITY;
    const resumed = await runDirectPrint({ jobId: "j2", reprint: false }, orders, deps);
    expect(resumed.printed).toBe(7);
    expect(printer.received.map(tracking)).toEqual(orders.map((o) => o.shipments[0]!.trackingNumber));
    expect(Object.values(resumed.skipped)).toEqual(Array(5).fill("Already printed by Bench 1 (Ana)"));
  });

  it("two tablets, one on each path, printing the same run at once print each label once between them", async () => {
    await twoTabletsRace((a) => workerPage(a).page);
  });

  it("a tablet whose worker the room cannot hear prints nothing and says why", async () => {
    await printsNothingOffline((doc) => workerPage(doc).page);
  });
});

describe("the printer's own words (~HS)", () => {
  const hs = (paperOut: string, paused: string, headOpen: string) =>
    `\x02030,${paperOut},${paused},1218,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,${headOpen},0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n`;
  it("reads out of labels, paused and head open", () => {
    expect(parseHostStatus(hs("1", "0", "0"))).toMatchObject({
      paperOut: true,
      paused: false,
      headOpen: false,
    });
    expect(parseHostStatus(hs("0", "1", "0"))).toMatchObject({ paused: true });
    expect(parseHostStatus(hs("0", "0", "1"))).toMatchObject({ headOpen: true });
    expect(parseHostStatus("garbage")).toBeUndefined();
  });
});
