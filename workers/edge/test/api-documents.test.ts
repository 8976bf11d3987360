// Pick lists and packing slips through /api/v1, from the real seller room: for a label run and for
// any orders, A4 PDFs with one slip per order, the orders left out named, bad input refused with
// the field, and the four routes in the OpenAPI document.
import { pdfPageCount } from "@consign/labels";
import { describe, expect, it } from "vitest";
import { API_KEY_RATE } from "../src/api/rate-limit.ts";
import { apiKey } from "./api-harness.ts";
import { call, json } from "./helpers.ts";
import { connectedSeller, drainAlarms, makeLabelReady, TEST_SENDER } from "./room-helpers.ts";

interface ApiOrder {
  orderId: string;
  cancellationRequested: boolean;
  items: { sku: string }[];
}

const text = (bytes: ArrayBuffer) => new TextDecoder("latin1").decode(bytes);
/** Pages of a PDF: its `/Type /Page` objects (not the `/Pages` tree). */
const pages = (bytes: ArrayBuffer) => (text(bytes).match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;

describe("pick lists and packing slips through the API", { timeout: 180_000 }, () => {
  it("gives a run's pick list and packing slips, and any orders' documents, naming what is left out", async () => {
    const { owner, token } = await connectedSeller("documents", {
      orders: 14,
      unshipped: 12,
      historyDays: 1,
    });
    const page = await json<{ orders: ApiOrder[] }>(
      await call("/api/v1/orders?state=new&limit=100", { token }),
    );
    const skus = [...new Set(page.orders.flatMap((o) => o.items.map((i) => i.sku)))];
    await makeLabelReady(token, skus, `docs-${crypto.randomUUID()}`, {
      serviceCode: "TPS48",
      sender: { ...TEST_SENDER, companyName: "Acme Mugs Ltd" },
    });
    const chosen = page.orders
      .filter((o) => !o.cancellationRequested)
      .slice(0, 3)
      .map((o) => o.orderId);
    const started = await call("/api/v1/labels/runs", {
      token,
      body: { orderIds: chosen },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(started.status, await started.clone().text()).toBe(202);
    const { runId } = await json<{ runId: string }>(started);
    await drainAlarms(
      owner.sellerId,
      async () =>
        (await json<{ state: string }>(await call(`/api/v1/labels/runs/${runId}`, { token }))).state ===
        "finished",
      60_000,
    );

    // The run's packing slips: one A4 page per order, the company on each.
    const slips = await call(`/api/v1/labels/runs/${runId}/packing-slips.pdf`, { token });
    expect(slips.status).toBe(200);
    expect(slips.headers.get("content-type")).toBe("application/pdf");
    expect(slips.headers.get("consign-orders-included")).toBe("3");
    expect(slips.headers.get("consign-orders-missing")).toBe("0");
    const slipBytes = await slips.arrayBuffer();
    expect(text(slipBytes).startsWith("%PDF-")).toBe(true);
    expect(pages(slipBytes)).toBe(3);

    // The run's pick list: one document for the whole walk.
    const pick = await call(`/api/v1/labels/runs/${runId}/pick-list.pdf`, { token });
    expect(pick.status).toBe(200);
    expect(pick.headers.get("consign-orders-included")).toBe("3");
    expect(pages(await pick.arrayBuffer())).toBeGreaterThanOrEqual(1);

    // The run's labels on the sheets the printer takes, the same layouts as the app's printer settings.
    const thermal = await call(`/api/v1/labels/runs/${runId}/labels.pdf`, { token });
    expect(thermal.status).toBe(200);
    expect(thermal.headers.get("consign-layout")).toBe("4x6");
    const thermalBytes = new Uint8Array(await thermal.arrayBuffer());
    const a4 = await call(`/api/v1/labels/runs/${runId}/labels.pdf?layout=a4-4up`, { token });
    expect(a4.status).toBe(200);
    expect(a4.headers.get("consign-layout")).toBe("a4-4up");
    const a4Bytes = new Uint8Array(await a4.arrayBuffer());
    expect(text(a4Bytes.buffer).startsWith("%PDF-")).toBe(true);
    expect(a4Bytes).not.toEqual(thermalBytes);
    const badLayout = await call(`/api/v1/labels/runs/${runId}/labels.pdf?layout=a5`, { token });
    expect(badLayout.status).toBe(400);

    // Any orders: an unknown one is named and left out.
    const other = page.orders.find((o) => !chosen.includes(o.orderId))!.orderId;
    const any = await call(
      `/api/v1/documents/packing-slips.pdf?orderIds=${[chosen[0], other, "202-0000000-0000000"].join(",")}`,
      { token },
    );
    expect(any.status).toBe(200);
    expect(any.headers.get("consign-orders-included")).toBe("2");
    expect(JSON.parse(any.headers.get("consign-orders-missing-reasons") ?? "[]")).toEqual([
      { orderId: "202-0000000-0000000", reason: "no such order for this seller" },
    ]);
    expect(pages(await any.arrayBuffer())).toBe(2);

    // Refusals a person can act on.
    const bad = await call("/api/v1/documents/pick-list.pdf?orderIds=202-1,not an id", { token });
    expect(bad.status).toBe(400);
    expect((await json<{ error: { fields: { path: string }[] } }>(bad)).error.fields).toEqual([
      expect.objectContaining({ path: "orderIds.1" }),
    ]);
    const none = await call("/api/v1/documents/pick-list.pdf?orderIds=202-0000000-0000000", { token });
    expect(none.status).toBe(404);
    const noRun = await call("/api/v1/labels/runs/no-such-run/pick-list.pdf", { token });
    expect(noRun.status).toBe(404);

    // Registered in the OpenAPI document like every route.
    const doc = await json<{ paths: Record<string, { get?: { operationId?: string; tags?: string[] } }> }>(
      await call("/api/v1/openapi.json", {}),
    );
    for (const path of [
      "/labels/runs/{runId}/pick-list.pdf",
      "/labels/runs/{runId}/packing-slips.pdf",
      "/documents/pick-list.pdf",
      "/documents/packing-slips.pdf",
    ]) {
      const key = Object.keys(doc.paths).find((p) => p.endsWith(path));
      expect(key, path).toBeDefined();
      expect(doc.paths[key!]!.get?.tags).toEqual(["Labels"]);
    }
  });

  it("gives the labels of any orders in one file, in the order named, naming the orders left out", async () => {
    const { owner, token } = await connectedSeller("labels-file", {
      orders: 8,
      unshipped: 8,
      historyDays: 1,
    });
    const page = await json<{ orders: ApiOrder[] }>(
      await call("/api/v1/orders?state=new&limit=100", { token }),
    );
    const skus = [...new Set(page.orders.flatMap((o) => o.items.map((i) => i.sku)))];
    await call("/api/v1/settings", {
      token,
      method: "PATCH",
      body: {
        sender: {
          name: "Despatch",
          companyName: "Acme Mugs Ltd",
          line1: "1 Mill Lane",
          city: "Leeds",
          postcode: "LS1 1AA",
        },
        skuWeights: Object.fromEntries(skus.map((s) => [s, 300])),
      },
    });
    await call("/api/v1/rules", {
      token,
      method: "PUT",
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: { rules: [{ id: "rm", when: {}, use: { courier: "royal-mail", serviceCode: "TPS48" } }] },
    });
    await call("/api/v1/couriers/royal-mail", {
      token,
      method: "PUT",
      body: { apiKey: `labels-file-${crypto.randomUUID()}` },
    });
    const open = page.orders.filter((o) => !o.cancellationRequested);
    const [a, b, c] = open.slice(0, 3).map((o) => o.orderId) as [string, string, string];
    const notBought = open[3]!.orderId;
    const started = await call("/api/v1/labels/runs", {
      token,
      body: { orderIds: [a, b, c] },
      headers: { "Idempotency-Key": crypto.randomUUID() },
    });
    expect(started.status, await started.clone().text()).toBe(202);
    const { runId } = await json<{ runId: string }>(started);
    await drainAlarms(
      owner.sellerId,
      async () =>
        (await json<{ state: string }>(await call(`/api/v1/labels/runs/${runId}`, { token }))).state ===
        "finished",
      60_000,
    );
    const one = async (id: string) =>
      new Uint8Array(await (await call(`/api/v1/orders/${id}/label`, { token })).arrayBuffer());
    const pagesOf = { a: await pdfPageCount(await one(a)), c: await pdfPageCount(await one(c)) };

    // Labels of two runs' worth of orders in one request: the order not bought is named with why.
    const file = await call(`/api/v1/documents/labels.pdf?orderIds=${[c, notBought, a].join(",")}`, {
      token,
    });
    expect(file.status, await file.clone().text()).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(file.headers.get("consign-layout")).toBe("4x6");
    expect(file.headers.get("consign-labels-included")).toBe("2");
    expect(file.headers.get("consign-labels-missing")).toBe("1");
    expect(JSON.parse(file.headers.get("consign-labels-missing-reasons") ?? "[]")).toEqual([
      { orderId: notBought, reason: "no label bought (or it was voided)", code: "no_label" },
    ]);
    expect(await pdfPageCount(new Uint8Array(await file.arrayBuffer()))).toBe(pagesOf.a + pagesOf.c);
    // Nothing missing: no reasons header.
    const whole = await call(`/api/v1/documents/labels.pdf?orderIds=${[a, b, c].join(",")}`, { token });
    expect(whole.headers.get("consign-labels-included")).toBe("3");
    expect(whole.headers.get("consign-labels-missing")).toBe("0");
    expect(whole.headers.get("consign-labels-missing-reasons")).toBeNull();
    // Four 4x6 labels a sheet on A4.
    const a4 = await call(`/api/v1/documents/labels.pdf?orderIds=${[a, b, c].join(",")}&layout=a4-4up`, {
      token,
    });
    expect(a4.status).toBe(200);
    expect(a4.headers.get("consign-layout")).toBe("a4-4up");
    expect(await pdfPageCount(new Uint8Array(await a4.arrayBuffer()))).toBe(1);

    // Refusals a person can act on.
    const none = await call(`/api/v1/documents/labels.pdf?orderIds=${notBought}`, { token });
    expect(none.status).toBe(404);
    expect((await json<{ error: { message: string } }>(none)).error.message).toBe(
      `Order ${notBought} has no label to download: no label bought (or it was voided).`,
    );
    const twice = await call(`/api/v1/documents/labels.pdf?orderIds=${a},${a}`, { token });
    expect(twice.status).toBe(400);
    expect((await json<{ error: { message: string } }>(twice)).error.message).toContain("named twice");
    const tooMany = Array.from({ length: 101 }, (_, i) => `202-0000000-${String(i).padStart(7, "0")}`);
    const big = await call(`/api/v1/documents/labels.pdf?orderIds=${tooMany.join(",")}`, { token });
    expect(big.status).toBe(400);
    expect((await json<{ error: { message: string } }>(big)).error.message).toContain("at most 100");

    // A file counts against the caller's limit as one request a 10 labels: 100 names, 10 requests.
    // Asked with a read key (60 at once, then 5 a second), whose slow refill a busy machine's pause
    // between the two calls cannot hide: the bound below takes off what refilled in that time.
    const readKey = await apiKey(owner, "read");
    const remaining = async (ids: string[]) =>
      Number(
        (
          await call(`/api/v1/documents/labels.pdf?orderIds=${ids.join(",")}`, { token: readKey })
        ).headers.get("ratelimit-remaining"),
      );
    const hundred = [a, ...tooMany.slice(0, 99)];
    const from = Date.now();
    const before = await remaining([a]);
    const after = await remaining(hundred);
    const refilled = Math.ceil(((Date.now() - from) / 1000) * API_KEY_RATE.refillPerSecond);
    expect(before - after).toBeGreaterThanOrEqual(10 - refilled);
    expect(before - after).toBeLessThanOrEqual(10);

    const doc = await json<{ paths: Record<string, { get?: { operationId?: string } }> }>(
      await call("/api/v1/openapi.json", {}),
    );
    const key = Object.keys(doc.paths).find((p) => p.endsWith("/documents/labels.pdf"));
    expect(key && doc.paths[key]!.get?.operationId).toBe("getLabelsPdf");
  });
});
