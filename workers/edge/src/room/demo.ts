// The embedded default that `npm start` shows a newcomer: a demo seller with a dispatch address,
// SKU weights, shipping rules, sandbox courier accounts and Amazon connected through the
// sandbox's Seller Central consent, exactly as a seller would do it by hand (only faster).
import type { ShippingRuleInput } from "@consign/domain";
import { adjustStock, readSetting, writeSetting } from "@consign/sync";
import type { Env } from "../env.ts";
import type { AmazonLink } from "./amazon.ts";
import type { CourierVault } from "./courier-vault.ts";
import type { RoomDoc } from "./label-runs.ts";
import { SETTING } from "./settings.ts";

export const DEMO_RULES: ShippingRuleInput[] = [
  {
    // First: a Royal Mail small parcel takes at most 2 kg, so heavier parcels (Prime ones too) go DPD.
    id: "heavy-dpd",
    name: "Over 2 kg goes DPD Next Day",
    when: { weightGrams: { min: 2001 } },
    use: { courier: "dpd", serviceCode: "1^12", format: "medium-parcel" },
  },
  {
    id: "prime-next-day",
    name: "Prime and next-day orders up to 2 kg go Royal Mail Tracked 24",
    when: { prime: true, weightGrams: { max: 2000 } },
    use: { courier: "royal-mail", serviceCode: "TPN24", format: "small-parcel" },
  },
  {
    id: "light-large-letter",
    name: "Up to 750 g goes Royal Mail Tracked 48 large letter",
    when: { weightGrams: { max: 750 } },
    use: { courier: "royal-mail", serviceCode: "TPS48", format: "large-letter" },
  },
  {
    id: "everything-else",
    name: "Everything else goes Evri Next Day",
    when: {},
    use: { courier: "evri", serviceCode: "EVRI24", format: "small-parcel" },
  },
];

/** The demo catalogue's weights in grams, as a seller keeps them for their own SKUs. */
export const DEMO_SKU_WEIGHTS: Record<string, number> = {
  "MUG-ENAMEL-WHT": 420,
  "TEA-TOWEL-3PK": 250,
  "CANDLE-FIG-200": 380,
  "NOTEBOOK-A5-DOT": 320,
  "PHONE-CASE-IP15": 90,
  "USB-C-CABLE-2M": 110,
  "DOG-LEAD-RED": 180,
  "BIRD-FEEDER-HNG": 650,
  "JIGSAW-1000-CST": 700,
  "SOCKS-WOOL-3PK": 200,
  "LED-BULB-E27-4": 240,
  "YOGA-MAT-6MM": 1600,
  "KNIFE-SHARP-2ST": 300,
  "PLANT-POT-15CM": 520,
  "BOOK-LIGHT-RCH": 120,
  "KETTLE-DESCALE": 260,
  "BAKE-TIN-20CM": 480,
  "HEADPHONES-BT": 350,
};

/** The demo's opening stock count per SKU (the last unit of headphones: some orders go short). */
export const DEMO_STOCK: Record<string, number> = Object.fromEntries(
  Object.keys(DEMO_SKU_WEIGHTS).map((sku) => [sku, sku === "HEADPHONES-BT" ? 1 : 400]),
);

export async function seedDemoSeller(deps: {
  env: Env;
  sellerId: string;
  room: RoomDoc;
  couriers: CourierVault;
  amazon: AmazonLink;
  finish(code: string, sellingPartnerId: string): Promise<unknown>;
}): Promise<{ amazon: "connected" | "already connected"; couriers: number }> {
  const { room, couriers, amazon } = deps;
  if (readSetting(room.doc, SETTING.sender) === undefined) {
    room.transact((d) => {
      writeSetting(d, SETTING.sender, {
        name: "Despatch Team",
        companyName: "Demo Trading Ltd",
        line1: "Unit 4, Canal Side Industrial Estate",
        city: "Leeds",
        postcode: "LS11 5QN",
        countryCode: "GB",
        phone: "0113 496 0000",
      });
      writeSetting(d, SETTING.packagingGrams, 60);
      writeSetting(d, SETTING.skuWeights, DEMO_SKU_WEIGHTS);
      writeSetting(d, SETTING.rules, DEMO_RULES);
      writeSetting(d, SETTING.printer, { layout: "4x6", withPackingSlip: false });
      // Stock on hand as a small seller counts it: plenty of most lines, the headphones down to the
      // last unit, so a newcomer sees an order the shelf cannot fill flagged on its row.
      for (const [sku, units] of Object.entries(DEMO_STOCK))
        adjustStock(d, sku, units, { counterId: "demo-opening-count" });
    });
  }
  const now = Date.now();
  await couriers.store("royal-mail", { apiKey: "demo-click-and-drop-key" }, now);
  await couriers.store("dpd", { username: "demo", password: "demo-password", accountNumber: "1234567" }, now);
  await couriers.store(
    "evri",
    { username: "demo", password: "demo-password", clientId: "1001", clientName: "Demo Trading Ltd" },
    now,
  );
  if (amazon.connected()) return { amazon: "already connected", couriers: 3 };
  const consent = new URL(await amazon.consentUrl(deps.sellerId, now));
  consent.searchParams.set("auto", "1");
  const res = await fetch(consent, { redirect: "manual" });
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) {
    throw new Error(
      `the sandbox's consent step answered ${res.status}; is the sandbox running at ${deps.env.SELLER_CENTRAL_URL}?`,
    );
  }
  const back = new URL(location);
  await deps.finish(
    back.searchParams.get("spapi_oauth_code") ?? "",
    back.searchParams.get("selling_partner_id") ?? "",
  );
  return { amazon: "connected", couriers: 3 };
}
