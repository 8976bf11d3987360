// A seller for bulk label runs on a local stack: signs up, connects a sandbox Amazon account
// holding `orders` orders awaiting dispatch (the real consent flow), waits for the import, and
// can then set up three couriers, rules spreading parcels over them by weight, a sender and SKU
// weights. Shared by the bulk-run journey and its benchmark.

// @ts-expect-error plain ESM script shared with `npm start`
import { signUpOnLocalStack } from "../../scripts/stack.mjs";
import { edgeApi } from "../e2e/browser.ts";

export interface BulkSeller {
  email: string;
  password: string;
  sellerId: string;
  api: ReturnType<typeof edgeApi>;
  /** Every SKU seen, with the weight the seller will enter (300 g, 1.2 kg, 2.6 kg in turn). */
  skus: Map<string, number>;
  /** Orders on the seller's live list, and those awaiting dispatch with no cancellation asked. */
  total: number;
  open: number;
}

export async function connectBulkSeller(
  url: string,
  sandboxUrl: string,
  orders: number,
): Promise<BulkSeller> {
  const email = `bulk-${Date.now()}@example.co.uk`;
  const password = "bulk run password";
  const grant: { memberships: { sellerId: string }[] } = await signUpOnLocalStack(url, {
    sellerName: "Bulk Ltd",
    name: "Bulk",
    email,
    password,
    deviceName: "setup",
  });
  const sellerId = grant.memberships[0]!.sellerId;
  const api = edgeApi(url, { email, password, sellerId });
  const partner = `A1BULK${Date.now().toString(36).toUpperCase()}`;
  const seeded = await fetch(`${sandboxUrl}/_sandbox/amazon/sellers/${partner}/seed`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ orders, unshipped: orders, historyDays: 2, seed: "bulk" }),
  });
  if (!seeded.ok) throw new Error(`sandbox seed: HTTP ${seeded.status} ${await seeded.text()}`);
  const connect = await api<{ url: string }>("/api/v1/amazon/connect", {
    method: "POST",
    headers: { "Idempotency-Key": crypto.randomUUID() },
  });
  if (connect.status !== 200)
    throw new Error(`connect: HTTP ${connect.status} ${JSON.stringify(connect.body)}`);
  const consent = new URL(connect.body.url);
  consent.searchParams.set("auto", "1");
  consent.searchParams.set("sandbox_seller", partner);
  const toCallback = await fetch(consent, { redirect: "manual" });
  const back = await fetch(toCallback.headers.get("location")!, { redirect: "manual" });
  if (back.headers.get("location") !== "/settings?amazon=connected")
    throw new Error(`the Amazon callback sent the browser to ${back.headers.get("location")}`);
  // The import runs on the room's alarm: wait for every order awaiting dispatch.
  for (const started = Date.now(); ; await new Promise((r) => setTimeout(r, 2_000))) {
    const status = await api<{ import: { unshippedComplete: boolean } | null }>("/api/v1/amazon/status");
    if (status.body.import?.unshippedComplete) break;
    if (Date.now() - started > 600_000)
      throw new Error(`the import did not finish: ${JSON.stringify(status.body)}`);
  }
  const skus = new Map<string, number>();
  let total = 0;
  let open = 0;
  let cursor: string | null = null;
  do {
    const page: {
      body: {
        orders: { state: string; items: { sku: string }[]; cancellationRequested: boolean }[];
        nextCursor: string | null;
      };
    } = await api(`/api/v1/orders?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    for (const o of page.body.orders) {
      total++;
      if (o.state === "new" && !o.cancellationRequested) open++;
      for (const i of o.items) if (!skus.has(i.sku)) skus.set(i.sku, [300, 1200, 2600][skus.size % 3]!);
    }
    cursor = page.body.nextCursor;
  } while (cursor);
  return { email, password, sellerId, api, skus, total, open };
}

/** Royal Mail (up to 750 g), Evri (to 2 kg) and DPD (heavier) connected; rules, sender and SKU weights set. */
export async function setUpShipping(seller: BulkSeller): Promise<void> {
  const send = async (path: string, body: unknown, method = "PUT") => {
    const res = await seller.api(path, {
      method,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify(body),
    });
    if (res.status !== 200)
      throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  };
  await send("/api/v1/couriers/royal-mail", { apiKey: `bulk-${crypto.randomUUID()}` });
  await send("/api/v1/couriers/dpd", { username: "bulk", password: "pw", accountNumber: "1234567" });
  await send("/api/v1/couriers/evri", {
    username: "bulk",
    password: "pw",
    clientId: "1001",
    clientName: "Bulk",
  });
  await send("/api/v1/rules", {
    rules: [
      {
        id: "light",
        when: { weightGrams: { max: 750 } },
        use: { courier: "royal-mail", serviceCode: "TPS48", format: "large-letter" },
      },
      { id: "mid", when: { weightGrams: { max: 2000 } }, use: { courier: "evri", serviceCode: "EVRI24" } },
      { id: "heavy", when: {}, use: { courier: "dpd", serviceCode: "1^12" } },
    ],
  });
  await send(
    "/api/v1/settings",
    {
      sender: {
        name: "Despatch",
        companyName: "Bulk Ltd",
        line1: "1 Mill Lane",
        city: "Leeds",
        postcode: "LS1 1AA",
      },
      skuWeights: Object.fromEntries(seller.skus),
    },
    "PATCH",
  );
}
