// Royal Mail through Pro Shipping (Shipping API v3): the seller's room buys, prints Royal Mail's own
// ZPL, voids and retries through the ledger against the sandbox, in workerd.
import { env } from "cloudflare:test";
import { isRoyalMailTrackingNumber } from "@consign/couriers";
import { describe, expect, it } from "vitest";
import { type CourierCredentials, createCourierSet, testCourierConnection } from "../src/labels/couriers.ts";
import { LabelLedger } from "../src/labels/ledger.ts";
import { counters, fast, inSellerRoom, SANDBOX, setFaults, shipmentFor } from "../src/labels/testing.ts";
import { CourierVault } from "../src/room/courier-vault.ts";

const PRO = `${SANDBOX}/royalmail-pro/shipping/v3`;

function proCredentials(clientId: string): CourierCredentials {
  return {
    royalMailPro: {
      clientId,
      clientSecret: "secret",
      username: "despatch@seller.test",
      password: "pro-password-1",
      postingLocation: "9000000001",
    },
  };
}

function proLedger(state: DurableObjectState, clientId: string, timeoutMs = 5000) {
  const couriers = createCourierSet(env, proCredentials(clientId), { timeoutMs, rateLimits: fast });
  return {
    couriers,
    ledger: new LabelLedger({
      sql: state.storage.sql,
      labels: env.LABELS,
      adapterFor: (c) => couriers.adapterFor(c),
      labelPrefix: `seller-${clientId}`,
    }),
  };
}

const order = (tag: string) => {
  const orderId = `202-${crypto.randomUUID().slice(0, 7)}-${tag}`;
  return {
    orderId,
    courier: "royal-mail" as const,
    shipment: shipmentFor(orderId, { serviceCode: "TPN24" }),
  };
};

/** A Pro Shipping sign-in for reading the sandbox directly (manifesting the day). */
async function proToken(clientId: string) {
  const res = await fetch(`${PRO}/token`, {
    method: "POST",
    headers: {
      "X-IBM-Client-Id": clientId,
      "X-IBM-Client-Secret": "secret",
      "X-RMG-Security-Username": "despatch@seller.test",
      "X-RMG-Security-Password": "pro-password-1",
    },
  });
  return ((await res.json()) as { token: string }).token;
}

describe("Royal Mail Pro Shipping through the seller's ledger", () => {
  it("buys once with the PDF kept, serves Royal Mail's own ZPL at 203 and 300 dpi (asked once, then kept), tracks and voids", async () => {
    const clientId = crypto.randomUUID();
    const o = order("0000001");
    const out = await inSellerRoom(async (state) => {
      const { ledger, couriers } = proLedger(state, clientId);
      const [first, second] = await Promise.all([ledger.buyLabel(o), ledger.buyLabel(o)]);
      const pdf = await ledger.labelPdf(o.orderId);
      const zpl203 = await ledger.labelZpl(o.orderId, 203);
      const zpl300 = await ledger.labelZpl(o.orderId, 300);
      const kept = await env.LABELS.list({ prefix: `seller-${clientId}/labels/${o.orderId}/` });
      const tracked = await couriers.adapterFor("royal-mail").track(first.trackingNumber!);
      const voided = await ledger.voidLabel(o.orderId);
      const afterVoid = await ledger.labelZpl(o.orderId, 203);
      return { first, second, pdf, zpl203, zpl300, kept, tracked, voided, afterVoid };
    });
    expect(out.second).toEqual(out.first);
    expect(isRoyalMailTrackingNumber(out.first.trackingNumber!)).toBe(true);
    expect(new TextDecoder().decode(out.pdf!)).toContain(out.first.trackingNumber);
    expect(out.zpl203).toMatch(/^\^XA\n/);
    expect(out.zpl203).toContain("^PW812");
    expect(out.zpl203).toContain(`^BCN,`);
    expect(out.zpl203).toContain(`^FD${out.first.trackingNumber}^FS`);
    expect(out.zpl300).toContain("^PW1200");
    expect(out.kept.objects.map((x) => x.key.split("/").pop()).sort()).toEqual([
      "1.203dpi.zpl",
      "1.300dpi.zpl",
      "1.pdf",
    ]);
    expect(out.tracked.trackingNumber).toBe(out.first.trackingNumber);
    expect(out.voided.state).toBe("voided");
    expect(out.afterVoid).toBeUndefined();
    expect((await counters("royalmail-pro", clientId)).purchases).toBe(1);
    // Voided at Royal Mail too: it prints no more.
    const reprint = await fetch(`${PRO}/shipments/${out.first.trackingNumber}/printLabel`, {
      method: "PUT",
      headers: {
        "X-IBM-Client-Id": clientId,
        "X-RMG-Auth-Token": await proToken(clientId),
        "Content-Type": "application/json",
      },
      body: "{}",
    });
    expect(reprint.status).toBe(404);
  });

  it("after the day is manifested, a ZPL printer gets the kept PDF instead (Royal Mail prints it no more)", async () => {
    const clientId = crypto.randomUUID();
    const o = order("0000002");
    const zpl = await inSellerRoom(async (state) => {
      const { ledger } = proLedger(state, clientId);
      await ledger.buyLabel(o);
      const manifest = await fetch(`${PRO}/manifests`, {
        method: "POST",
        headers: {
          "X-IBM-Client-Id": clientId,
          "X-RMG-Auth-Token": await proToken(clientId),
          "Content-Type": "application/json",
        },
        body: JSON.stringify({ PostingLocation: "9000000001" }),
      });
      expect(manifest.status).toBe(200);
      return ledger.labelZpl(o.orderId, 203);
    });
    expect(zpl).toBeNull();
  });

  it("a run retried after a 429 and after the gateway's 503 buys each label once", async () => {
    const clientId = crypto.randomUUID();
    const a = order("0000003");
    const b = order("0000004");
    const out = await inSellerRoom(async (state) => {
      const { ledger } = proLedger(state, clientId);
      // One call a second: the sign-in and the first purchase fill it, the second purchase meets a
      // 429 and is sent again after Royal Mail's Retry-After.
      await setFaults("royalmail-pro", clientId, { callsPerSecond: 1 });
      const [ra, rb] = await Promise.all([ledger.buyLabel(a), ledger.buyLabel(b)]);
      await setFaults("royalmail-pro", clientId, { down: true });
      const c = order("0000005");
      const refused = await ledger.buyLabel(c).catch((e: unknown) => e);
      await setFaults("royalmail-pro", clientId, {});
      const retried = await ledger.buyLabel(c);
      return { ra, rb, refused, retried };
    });
    expect([out.ra.state, out.rb.state, out.retried.state]).toEqual(["bought", "bought", "bought"]);
    expect((out.refused as Error).message).toMatch(
      /Pro Shipping is unavailable \(HTTP 503\).*nothing was done/,
    );
    expect((await counters("royalmail-pro", clientId)).purchases).toBe(3);
  });

  it("a 500 or a timeout is never bought again on its own: the seller is told where to look", async () => {
    const clientId = crypto.randomUUID();
    const o = order("0000006");
    const out = await inSellerRoom(async (state) => {
      const { ledger } = proLedger(state, clientId, 400);
      await setFaults("royalmail-pro", clientId, { timeoutMs: 1500, timeouts: 1 });
      const first = await ledger.buyLabel(o).catch((e: unknown) => e);
      const again = await ledger.buyLabel(o).catch((e: unknown) => e);
      return { first, again };
    });
    // The slow answer was a purchase: Royal Mail has one shipment, and Consign bought no second.
    expect((await counters("royalmail-pro", clientId)).purchases).toBe(1);
    expect((out.again as Error).message).toMatch(
      /Look in Pro Shipping for reference .*cancel it there, then buy again/,
    );
  });

  it("connecting tests the sign-in first: wrong credentials are refused in words and nothing is kept", async () => {
    const clientId = crypto.randomUUID();
    const fields = {
      api: "pro-shipping",
      clientId,
      clientSecret: "secret",
      username: "despatch@seller.test",
      password: "pro-password-1",
      postingLocation: "9000000001",
    };
    await testCourierConnection(env, fields); // the first sign-in opens the sandbox account
    const wrong = await testCourierConnection(env, { ...fields, password: "not-it" }).catch(
      (e: unknown) => e,
    );
    expect((wrong as Error).message).toMatch(
      /Royal Mail Pro Shipping refused the sign-in \(Authentication failure\.\): check the client id and secret, the username and the password/,
    );
    // The room refuses them the same way and keeps the account it had.
    const status = await inSellerRoom(async (state) => {
      const vault = new CourierVault(state.storage.sql, env.CREDENTIALS_KEY);
      const bad = vault.store("royal-mail", { ...fields, postingLocation: "12" }, 1).catch((e: unknown) => e);
      expect(((await bad) as Error).message).toMatch(/not valid/);
      await vault.store("royal-mail", fields, 1);
      const creds = await vault.credentials(async () => "");
      return { creds, status: vault.status().find((s) => s.courier === "royal-mail") };
    });
    expect(status.status).toMatchObject({ connected: true, via: "pro-shipping" });
    expect(status.creds.royalMailPro?.postingLocation).toBe("9000000001");
    expect(status.creds.royalMail).toBeUndefined();
  });
});
