// Each sandbox courier's register of the parcels it carries: which account sold a tracking number.
// A real network scans every parcel whoever bought its label, and Amazon reads a parcel's delivery
// from the carrier's scans for the tracking number the seller confirmed; the sandbox's Amazon does
// the same through `carrierJourneys` (the simulated month's delivery facts, ../sim/world.ts).

import type { SandboxEnv } from "../env.ts";
import { courierAccount, type SandboxCourier } from "./accounts.ts";
import type { JourneyEvent } from "./tracking.ts";

/** The register object's name among the courier's accounts (no account name starts with '#'). */
const REGISTER = "#register";

const register = (env: SandboxEnv, courier: SandboxCourier) => courierAccount(env, courier, REGISTER);

/** Notes in the courier's register that `account` sold the parcel `trackingNumber`. */
export async function registerSale(
  env: SandboxEnv,
  courier: SandboxCourier,
  account: string,
  trackingNumber: string,
): Promise<void> {
  await register(env, courier).register(trackingNumber, account);
}

/**
 * The sandbox courier that carries parcels confirmed to Amazon under this carrier code (Amazon's
 * list: "Royal Mail", "DPD", "Hermes UK" for Evri, "Amazon Shipping"), or under carrierName when
 * the code is "Other"; null for a carrier the sandbox has no network for.
 */
export function courierOfCarrier(
  carrierCode: string | null,
  carrierName?: string | null,
): SandboxCourier | null {
  const text = `${carrierCode ?? ""} ${carrierName ?? ""}`;
  if (/royal\s*mail|parcelforce/i.test(text)) return "royalmail";
  if (/\bdpd\b/i.test(text)) return "dpd";
  if (/hermes|evri/i.test(text)) return "evri";
  if (/amazon/i.test(text)) return "amazon-shipping";
  return null;
}

/**
 * Each parcel's journey as its courier's network scans it (every planned scan, future ones too: the
 * caller reads them at its own clock), for the parcels a sandbox courier sold; parcels no sandbox
 * courier knows are left out. One call to each courier's register and one to each account.
 */
export async function carrierJourneys(
  env: SandboxEnv,
  parcels: readonly { trackingNumber: string; carrierCode: string | null; carrierName?: string | null }[],
): Promise<Map<string, JourneyEvent[]>> {
  const byCourier = new Map<SandboxCourier, string[]>();
  for (const p of parcels) {
    const courier = courierOfCarrier(p.carrierCode, p.carrierName);
    if (!courier) continue;
    const list = byCourier.get(courier) ?? [];
    list.push(p.trackingNumber);
    byCourier.set(courier, list);
  }
  const out = new Map<string, JourneyEvent[]>();
  await Promise.all(
    [...byCourier].map(async ([courier, numbers]) => {
      const accounts = await register(env, courier).accountsOf(numbers);
      const byAccount = new Map<string, string[]>();
      for (const [tn, account] of Object.entries(accounts)) {
        const list = byAccount.get(account) ?? [];
        list.push(tn);
        byAccount.set(account, list);
      }
      await Promise.all(
        [...byAccount].map(async ([account, tns]) => {
          const journeys = await courierAccount(env, courier, account).journeys(tns);
          for (const [tn, events] of Object.entries(journeys)) out.set(tn, events);
        }),
      );
    }),
  );
  return out;
}
