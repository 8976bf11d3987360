// Fault switches per sandbox seller (not part of Amazon): 429 storms, 5xx, slow and malformed answers,
// connections dropped before the request is acted on or after (lostRequests / lostAnswers),
// and `rateScale`, which multiplies every usage plan's rate so tests run in seconds, not minutes.

import { z } from "zod";
import { hashSeed, seededRandom } from "./random.ts";

const OPERATIONS = [
  "searchOrders",
  "getOrder",
  "confirmShipment",
  "updateShipmentStatus",
  "createRestrictedDataToken",
] as const;
export type SandboxOperation = (typeof OPERATIONS)[number];

const Switch = z.object({
  /** Fault the next N calls (of the listed operations). */
  next: z.number().int().min(0).optional(),
  /** Or fault this share of calls (0–1), decided by a seeded die. */
  rate: z.number().min(0).max(1).optional(),
  operations: z.array(z.enum(OPERATIONS)).optional(),
});

export const FaultSwitchesSchema = z.object({
  throttle: Switch.optional(),
  serverErrors: Switch.extend({ status: z.union([z.literal(500), z.literal(503)]).optional() }).optional(),
  malformed: Switch.optional(),
  /** Drop the connection before the call reaches Amazon's logic (nothing happens). */
  lostRequests: Switch.optional(),
  /** Act on the call, then drop the connection before the answer (it happened; the caller cannot tell). */
  lostAnswers: Switch.optional(),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  rateScale: z.number().positive().max(100_000).optional(),
});
export type FaultSwitches = z.infer<typeof FaultSwitchesSchema>;
type SwitchState = z.infer<typeof Switch>;

export type Fault = "throttle" | "serverError" | "malformed" | "lostRequest" | "lostAnswer" | null;

function applies(s: SwitchState | undefined, op: SandboxOperation, roll: () => number): boolean {
  if (!s) return false;
  if (s.operations && !s.operations.includes(op)) return false;
  if (s.next !== undefined && s.next > 0) {
    s.next -= 1;
    return true;
  }
  return s.rate !== undefined && roll() < s.rate;
}

/** Decides this call's fault and counts down the `next` switches (the caller saves `faults`). */
export function rollFault(
  faults: FaultSwitches,
  op: SandboxOperation,
  dieState: number,
): { fault: Fault; dieState: number } {
  const rnd = seededRandom(hashSeed(`die:${dieState}`));
  const next = dieState + 1;
  if (applies(faults.throttle, op, rnd)) return { fault: "throttle", dieState: next };
  if (applies(faults.serverErrors, op, rnd)) return { fault: "serverError", dieState: next };
  if (applies(faults.malformed, op, rnd)) return { fault: "malformed", dieState: next };
  if (applies(faults.lostRequests, op, rnd)) return { fault: "lostRequest", dieState: next };
  if (applies(faults.lostAnswers, op, rnd)) return { fault: "lostAnswer", dieState: next };
  return { fault: null, dieState: next };
}
