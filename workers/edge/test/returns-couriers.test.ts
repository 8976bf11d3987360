// Returns labels from each courier the seller has connected, in workerd against the sandboxes:
// Royal Mail Tracked Returns (a Click & Drop order on the returns service, the buyer as billing),
// DPD (a shipment on the returns network, the buyer as collection) and Evri (a return order). Each
// courier refuses a return from a postcode it does not know and a returns service the account does
// not have switched on, and says so; after the refusal nothing is recorded, and once the account is
// right the same request buys the label: the buyer's postcode and the seller's on it, its own
// tracking number, linked to the parcel sent.
import { isDpdParcelNumber, isRoyalMailTrackingNumber } from "@consign/couriers";
import { describe, expect, it } from "vitest";
import { SANDBOX } from "../src/labels/testing.ts";
import { call, json } from "./helpers.ts";
import { buyAndDispatch, connectedSeller, makeLabelReady, writeApi } from "./room-helpers.ts";

interface ApiOrder {
  orderId: string;
  cancellationRequested: boolean;
  items: { sku: string }[];
  recipient: { postcode: string } | null;
  shipments: { trackingNumber: string; voidedAt: string | null }[];
}
interface ApiReturn {
  id: string;
  orderId: string;
  courier: string;
  trackingNumber: string | null;
  originalTrackingNumber: string | null;
  format: string;
  labelUrl: string;
}
interface ApiError {
  error: { code: string; message: string; fields: { path: string; message: string }[] };
}

const write = writeApi;

async function faults(courier: string, account: string, switches: Record<string, unknown>) {
  const res = await fetch(
    `${SANDBOX}/_sandbox/couriers/${courier}/accounts/${encodeURIComponent(account)}/faults`,
    {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(switches),
    },
  );
  expect(res.status).toBe(200);
}

async function pdfText(token: string, r: ApiReturn): Promise<string> {
  const res = await call(r.labelUrl, { token });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/pdf");
  const text = new TextDecoder().decode(await res.arrayBuffer());
  expect(text.startsWith("%PDF-")).toBe(true);
  return text;
}

describe("returns labels from every connected courier", { timeout: 120_000 }, () => {
  it("Royal Mail, DPD and Evri each refuse a postcode they do not know and a service not switched on, then make the label", async () => {
    const { owner, token } = await connectedSeller("returns-couriers", {
      orders: 8,
      unshipped: 6,
      historyDays: 1,
    });
    const open = (
      await json<{ orders: ApiOrder[] }>(await call("/api/v1/orders?state=new&limit=100", { token }))
    ).orders.filter((o) => !o.cancellationRequested && o.recipient);
    const sent = open[0]!;
    const skus = [...new Set(open.flatMap((o) => o.items.map((i) => i.sku)))];
    const rmKey = `rtc-${crypto.randomUUID()}`;
    await makeLabelReady(token, skus, rmKey);
    await buyAndDispatch(token, owner.sellerId, sent.orderId);
    const order = await json<ApiOrder>(await call(`/api/v1/orders/${sent.orderId}`, { token }));
    const original = order.shipments.find((s) => s.voidedAt === null)!.trackingNumber;
    const buyerPostcode = order.recipient!.postcode;
    const ask = (body: Record<string, unknown>) =>
      write(token, `/api/v1/orders/${sent.orderId}/returns`, body);
    const refusal = async (body: Record<string, unknown>) => {
      const res = await ask(body);
      expect(res.status, await res.clone().text()).toBe(502);
      const e = await json<ApiError>(res);
      expect(e.error.code).toBe("upstream_rejected");
      return e.error.message;
    };

    // --- Royal Mail Tracked Returns ---
    await faults("royalmail", rmKey, { disabledServices: ["TRN"] });
    expect(await refusal({ courier: "royal-mail" })).toBe(
      "Royal Mail refused the returns label: Service code is not available on this account (TRN)",
    );
    await faults("royalmail", rmKey, { rejectPostcodes: [buyerPostcode] });
    expect(await refusal({ courier: "royal-mail" })).toBe(
      `Royal Mail refused the returns label: The sender's postcode is not recognised (${buyerPostcode})`,
    );
    // A QR code is Evri's: refused before Royal Mail is asked, naming the field.
    const qr = await ask({ courier: "royal-mail", format: "qr" });
    expect(qr.status).toBe(400);
    const qrError = await json<ApiError>(qr);
    expect(qrError.error.message).toContain("not a QR code");
    expect(qrError.error.fields[0]?.path).toBe("format");
    // Nothing was recorded for the refusals.
    expect(
      (await json<{ returns: ApiReturn[] }>(await call(`/api/v1/returns?orderId=${sent.orderId}`, { token })))
        .returns,
    ).toEqual([]);
    await faults("royalmail", rmKey, {});
    const rmMade = await ask({ courier: "royal-mail", reason: "Too small" });
    expect(rmMade.status, await rmMade.clone().text()).toBe(201);
    const rm = await json<ApiReturn>(rmMade);
    expect(rm).toMatchObject({ courier: "royal-mail", format: "pdf", originalTrackingNumber: original });
    expect(isRoyalMailTrackingNumber(rm.trackingNumber ?? "")).toBe(true);
    expect(rm.trackingNumber).not.toBe(original);
    const rmLabel = await pdfText(token, rm);
    expect(rmLabel).toContain("Tracked Returns 48");
    expect(rmLabel).toContain("RETURN");
    expect(rmLabel).toContain("LS1 1AA");
    expect(rmLabel).toContain(buyerPostcode.toUpperCase());
    // Royal Mail's end of day does not carry the return: the buyer posts it.
    const manifest = await fetch(`${SANDBOX}/royalmail/api/v1/manifests`, {
      method: "POST",
      headers: { Authorization: `Bearer ${rmKey}`, "content-type": "application/json" },
      body: "{}",
    });
    expect(manifest.status).toBe(201);
    const sheet = atob(((await manifest.json()) as { documentPdf: string }).documentPdf);
    expect(sheet).toContain("Items: 1");
    expect(sheet).toContain("Tracked 24: 1");
    expect(sheet).not.toContain("Tracked Returns");

    // --- DPD ---
    const dpdUser = `rtc-${crypto.randomUUID()}`;
    const notConnected = await ask({ courier: "dpd" });
    expect(notConnected.status).toBe(409);
    expect((await json<ApiError>(notConnected)).error.message).toContain("DPD is not connected");
    await write(
      token,
      "/api/v1/couriers/dpd",
      { username: dpdUser, password: "pw", accountNumber: "1234567" },
      "PUT",
    );
    await faults("dpd", dpdUser, { disabledServices: ["1^91"] });
    expect(await refusal({ courier: "dpd" })).toBe(
      "DPD refused the returns label: Network 1^91 is not available (networkCode)",
    );
    await faults("dpd", dpdUser, { rejectPostcodes: [buyerPostcode] });
    expect(await refusal({ courier: "dpd" })).toBe(
      `DPD refused the returns label: Postcode ${buyerPostcode.toUpperCase()} is not recognised (collectionDetails.address.postcode)`,
    );
    await faults("dpd", dpdUser, {});
    const dpdMade = await ask({ courier: "dpd" });
    expect(dpdMade.status, await dpdMade.clone().text()).toBe(201);
    const dpd = await json<ApiReturn>(dpdMade);
    expect(dpd).toMatchObject({ courier: "dpd", format: "pdf", originalTrackingNumber: original });
    expect(isDpdParcelNumber(dpd.trackingNumber ?? "")).toBe(true);
    const dpdLabel = await pdfText(token, dpd);
    expect(dpdLabel).toContain("DPD Return");
    expect(dpdLabel).toContain("LS1 1AA");
    expect(dpdLabel).toContain(buyerPostcode.toUpperCase());

    // --- Evri ---
    const evriUser = `rtc-${crypto.randomUUID()}`;
    await write(
      token,
      "/api/v1/couriers/evri",
      { username: evriUser, password: "pw", clientId: "123", clientName: "Acme" },
      "PUT",
    );
    await faults("evri", evriUser, { disabledServices: ["RETURN"] });
    expect(await refusal({ courier: "evri" })).toContain("Return orders are not enabled for this client");
    await faults("evri", evriUser, { rejectPostcodes: [buyerPostcode] });
    expect(await refusal({ courier: "evri" })).toContain(`${buyerPostcode.toUpperCase()} is not recognised`);
    await faults("evri", evriUser, {});
    const evri = await json<ApiReturn>(await ask({ courier: "evri", format: "qr" }));
    expect(evri).toMatchObject({ courier: "evri", format: "qr" });

    // Amazon Shipping makes none: told which couriers do.
    const amazon = await ask({ courier: "amazon-shipping" });
    expect(amazon.status).toBe(400);
    expect((await json<ApiError>(amazon)).error.message).toContain("choose Royal Mail, DPD or Evri");

    // The order's returns, oldest first, each its own courier and tracking.
    const listed = await json<{ returns: ApiReturn[] }>(
      await call(`/api/v1/returns?orderId=${sent.orderId}`, { token }),
    );
    expect(listed.returns.map((r) => r.courier)).toEqual(["royal-mail", "dpd", "evri"]);
    expect(new Set(listed.returns.map((r) => r.trackingNumber)).size).toBe(3);
  });
});
