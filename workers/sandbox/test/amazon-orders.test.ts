import { describe, expect, it } from "vitest";
import { CLIENT, call, connect, control, daysAgo, minutesAgo, sp } from "./amazon-helpers.ts";

interface Page {
  orders: {
    orderId: string;
    createdTime: string;
    buyer?: { buyerName?: string; buyerEmail?: string };
    recipient?: {
      deliveryAddress: {
        name?: string;
        postalCode?: string;
        addressLine1?: string;
        phone?: string;
        city?: string;
      };
    };
    fulfillment?: {
      fulfillmentStatus: string;
      fulfillmentServiceLevel: string;
      shipByWindow: { latestDateTime: string };
    };
    orderItems: { orderItemId: string; quantityOrdered: number }[];
    programs: string[];
  }[];
  pagination?: { nextToken: string };
  createdBefore?: string;
}

async function seeded(seller: string, body: Record<string, unknown>) {
  const { accessToken, refreshToken } = await connect(seller);
  await control(`${seller}/seed`, { historyDays: 90, seed: 7, arrivalsPerHour: 0, ...body });
  await control(`${seller}/faults`, { rateScale: 1000 });
  return { accessToken, refreshToken };
}

/** Sets the sandbox app's approved roles (null: back to every role). */
async function roles(list: string[] | null) {
  const all = [
    "INVENTORY_AND_ORDER_TRACKING",
    "DIRECT_TO_CONSUMER_DELIVERY",
    "TAX_INVOICING",
    "TAX_REMITTANCE",
  ];
  const res = await call(`/_sandbox/amazon/apps/${CLIENT.client_id}/roles`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ roles: list ?? all }),
  });
  expect(res.status).toBe(200);
  await res.body?.cancel();
}

describe("Orders API 2026-01-01 in the sandbox", { timeout: 30_000 }, () => {
  it("pages through every seeded order exactly once, oldest first, with the rate limit header", async () => {
    const { accessToken } = await seeded("AORDERS1", { orders: 250 });
    const seen = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    const createdAfter = daysAgo(120);
    do {
      const q = new URLSearchParams({ createdAfter, maxResultsPerPage: "100", includedData: "FULFILLMENT" });
      if (token) q.set("paginationToken", token);
      const res = await sp(`/orders/2026-01-01/orders?${q}`, accessToken);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-amzn-RateLimit-Limit")).toBe(String(0.0056 * 1000));
      const page = (await res.json()) as Page;
      for (const o of page.orders) {
        expect(seen.has(o.orderId)).toBe(false);
        seen.add(o.orderId);
      }
      token = page.pagination?.nextToken;
      pages++;
    } while (token);
    expect(seen.size).toBe(250);
    expect(pages).toBe(3);
  });

  it("gives personal data by the app's roles, with no Restricted Data Token (Access Orders PII)", async () => {
    const { accessToken } = await seeded("AORDERS2", { orders: 20, unshipped: 10 });
    const q = `createdAfter=${daysAgo(3)}&fulfillmentStatuses=UNSHIPPED&includedData=BUYER,RECIPIENT`;
    const page = async () => {
      const res = await sp(`/orders/2026-01-01/orders?${q}`, accessToken);
      expect(res.status).toBe(200);
      return ((await res.json()) as Page).orders;
    };
    try {
      // Every role: the buyer's name and email, the whole address, postcode and phone.
      const full = await page();
      expect(full.length).toBe(10);
      for (const o of full) {
        expect(o.buyer?.buyerName).toMatch(/^\S+ \S+/);
        expect(o.buyer?.buyerEmail).toMatch(/@marketplace\.amazon\.co\.uk$/);
        expect(o.recipient?.deliveryAddress.addressLine1).toBeTruthy();
        expect(o.recipient?.deliveryAddress.postalCode).toMatch(/^[A-Z]{1,2}\d/);
        expect(o.recipient?.deliveryAddress.phone).toMatch(/^\+44/);
      }

      // No restricted role: every PII field is absent, postcode included; the town stays.
      await roles(["INVENTORY_AND_ORDER_TRACKING"]);
      for (const o of await page()) {
        expect(o.buyer?.buyerName).toBeUndefined();
        expect(o.buyer?.buyerEmail).toBeUndefined();
        const a = o.recipient?.deliveryAddress;
        expect(a?.name).toBeUndefined();
        expect(a?.addressLine1).toBeUndefined();
        expect(a?.postalCode).toBeUndefined();
        expect(a?.phone).toBeUndefined();
        expect(a?.city).toBeTruthy();
      }

      // Tax Invoicing only: the buyer's name, but no email and no address.
      await roles(["INVENTORY_AND_ORDER_TRACKING", "TAX_INVOICING"]);
      for (const o of await page()) {
        expect(o.buyer?.buyerName).toBeTruthy();
        expect(o.buyer?.buyerEmail).toBeUndefined();
        expect(o.recipient?.deliveryAddress.postalCode).toBeUndefined();
      }
    } finally {
      await roles(null);
    }
  });

  it("suppresses the email of cancelled orders and the phone past the delivery window", async () => {
    const { accessToken } = await seeded("AORDERS6", { orders: 200, unshipped: 5 });
    const res = await sp(
      `/orders/2026-01-01/orders?createdAfter=${daysAgo(100)}&fulfillmentStatuses=CANCELLED,SHIPPED&includedData=BUYER,RECIPIENT,FULFILLMENT&maxResultsPerPage=100`,
      accessToken,
    );
    const orders = ((await res.json()) as Page).orders as (Page["orders"][number] & {
      buyer?: { buyerEmail?: string };
      fulfillment: { fulfillmentStatus: string; deliverByWindow?: { latestDateTime?: string } };
      recipient?: { deliveryAddress: { phone?: string } };
    })[];
    const cancelled = orders.filter((o) => o.fulfillment.fulfillmentStatus === "CANCELLED");
    const shipped = orders.filter((o) => o.fulfillment.fulfillmentStatus === "SHIPPED");
    expect(cancelled.length).toBeGreaterThan(0);
    for (const o of cancelled) {
      expect(o.buyer?.buyerEmail).toBeUndefined();
      expect(o.buyer?.buyerName).toBeUndefined();
    }
    const past = shipped.filter(
      (o) => Date.parse(o.fulfillment.deliverByWindow?.latestDateTime ?? "") < Date.now(),
    );
    expect(past.length).toBeGreaterThan(0);
    for (const o of past) {
      expect(o.buyer?.buyerEmail).toBeTruthy();
      expect(o.recipient?.deliveryAddress.phone).toBeUndefined();
      expect(o.recipient?.deliveryAddress.addressLine1).toBeTruthy();
    }
  });

  it("refuses a Restricted Data Token for Orders API 2026-01-01 as Amazon does, and grants one where still required", async () => {
    const { accessToken } = await seeded("AORDERS7", { orders: 5 });
    const rdt = (resources: unknown[]) =>
      sp("/tokens/2021-03-01/restrictedDataToken", accessToken, {
        method: "POST",
        body: JSON.stringify({ restrictedResources: resources }),
      });
    const refused = await rdt([
      { method: "GET", path: "/orders/2026-01-01/orders", dataElements: ["buyerInfo", "shippingAddress"] },
    ]);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      errors: [
        {
          code: "InvalidInput",
          message: "Application do not have access to some or all requested resource",
          details: "",
        },
      ],
    });
    const v0 = await rdt([
      { method: "GET", path: "/orders/v0/orders/{orderId}/address", dataElements: ["shippingAddress"] },
    ]);
    expect(v0.status).toBe(200);
    try {
      await roles(["INVENTORY_AND_ORDER_TRACKING", "TAX_REMITTANCE"]);
      const noRole = await rdt([
        { method: "GET", path: "/orders/v0/orders", dataElements: ["buyerInfo", "shippingAddress"] },
      ]);
      expect(noRole.status).toBe(400);
      const body = (await noRole.json()) as { errors: { message: string }[] };
      expect(body.errors[0]?.message).toContain("[shippingAddress]");
    } finally {
      await roles(null);
    }
  });

  it("answers an unknown includedData with Amazon's InvalidInput", async () => {
    const { accessToken } = await seeded("AORDERS8", { orders: 3 });
    for (const path of [
      `/orders/2026-01-01/orders?createdAfter=${daysAgo(10)}&includedData=BUYER,ADDRESS`,
      "/orders/2026-01-01/orders/202-0000000-0000000?includedData=buyer",
    ]) {
      const res = await sp(path, accessToken);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { errors: { code: string; message: string; details: string }[] };
      expect(body.errors[0]?.code).toBe("InvalidInput");
      expect(body.errors[0]?.details).toMatch(/includedData: (ADDRESS|buyer) is not one of BUYER/);
    }
  });

  it("refuses searches that break the model's rules with InvalidInput", async () => {
    const { accessToken } = await seeded("AORDERS3", { orders: 5 });
    for (const q of [
      "",
      `createdAfter=${daysAgo(1)}&lastUpdatedAfter=${daysAgo(1)}`,
      `createdAfter=${daysAgo(1)}&createdBefore=${minutesAgo(1)}`,
      `createdAfter=${daysAgo(1)}&maxResultsPerPage=101`,
      `createdAfter=${daysAgo(1)}&fulfillmentStatuses=LOST`,
      "createdAfter=yesterday",
    ]) {
      const res = await sp(`/orders/2026-01-01/orders?${q}`, accessToken);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as { errors: { code: string; message: string }[] };
      expect(body.errors[0]?.code).toBe("InvalidInput");
    }
  });

  it("seeds realistic UK orders deterministically: Prime and standard, several service levels, multi-item", async () => {
    const a = await seeded("AORDERS4", { orders: 200, unshipped: 60 });
    const q = `createdAfter=${daysAgo(3)}&fulfillmentStatuses=UNSHIPPED&includedData=FULFILLMENT`;
    const page = (await (await sp(`/orders/2026-01-01/orders?${q}`, a.accessToken)).json()) as Page;
    expect(page.orders.length).toBe(60);
    const levels = new Set(page.orders.map((o) => o.fulfillment?.fulfillmentServiceLevel));
    expect(levels.size).toBeGreaterThanOrEqual(3);
    expect(page.orders.some((o) => o.programs.includes("PRIME"))).toBe(true);
    expect(page.orders.some((o) => !o.programs.includes("PRIME"))).toBe(true);
    expect(page.orders.some((o) => o.orderItems.length > 1)).toBe(true);
    for (const o of page.orders)
      expect(Date.parse(o.fulfillment?.shipByWindow.latestDateTime ?? "")).toBeGreaterThan(
        Date.parse(o.createdTime),
      );
    const again = await control("AORDERS4/seed", {
      orders: 200,
      unshipped: 60,
      historyDays: 90,
      seed: 7,
      arrivalsPerHour: 0,
    });
    expect((again as { visible: number }).visible).toBe(200);
  });

  it("seeds up to 50,000 orders in one account and says so past that", async () => {
    // Issue 23 measures the app with 50,000 open orders: the sandbox's account holds them.
    await expect(control("AORDERS6/seed", { orders: 50_001, historyDays: 3, seed: 7 })).rejects.toThrow(
      /400 .*orders: .*50000/,
    );
  });

  it("reveals scheduled orders as time passes", async () => {
    const { accessToken } = await seeded("AORDERS5", { orders: 10, arrivalsPerHour: 30, arrivalHours: 2 });
    const count = async () => {
      const res = await sp(
        `/orders/2026-01-01/orders?createdAfter=${daysAgo(100)}&maxResultsPerPage=100`,
        accessToken,
      );
      const body = (await res.json()) as Page;
      expect(res.status, JSON.stringify(body)).toBe(200);
      return body.orders.length;
    };
    expect(await count()).toBe(10);
    await control("AORDERS5/clock", { advanceMs: 50 * 60_000 });
    const later = await count();
    expect(later).toBeGreaterThanOrEqual(10 + 20);
    expect(later).toBeLessThanOrEqual(10 + 26);
  });

  it("answers 429 QuotaExceeded once the usage plan's burst is spent, with the rate in the header", async () => {
    const { accessToken } = await connect("ARATE1");
    await control("ARATE1/seed", { orders: 3, historyDays: 5, seed: 1, arrivalsPerHour: 0 });
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await sp(`/orders/2026-01-01/orders?createdAfter=${daysAgo(10)}`, accessToken);
      statuses.push(res.status);
      expect(res.headers.get("x-amzn-RateLimit-Limit")).toBe("0.0056");
      if (res.status === 429) {
        const body = (await res.json()) as { errors: { code: string }[] };
        expect(body.errors[0]?.code).toBe("QuotaExceeded");
      } else await res.body?.cancel();
    }
    expect(statuses.filter((s) => s === 200).length).toBe(20);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it("injects 5xx, 429 storms and malformed bodies for the next N calls", async () => {
    const { accessToken } = await seeded("AFAULT1", { orders: 3 });
    await control("AFAULT1/faults", {
      serverErrors: { next: 1, status: 500 },
      throttle: { next: 1 },
      malformed: { next: 1 },
    });
    const url = `/orders/2026-01-01/orders?createdAfter=${daysAgo(10)}`;
    expect((await sp(url, accessToken)).status).toBe(429);
    expect((await sp(url, accessToken)).status).toBe(500);
    const broken = await sp(url, accessToken);
    expect(broken.status).toBe(200);
    expect(() => JSON.parse("")).toThrow();
    await expect(broken.json()).rejects.toThrow();
    expect((await sp(url, accessToken)).status).toBe(200);
  });
});
