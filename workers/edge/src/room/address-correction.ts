// A corrected delivery address: the buyer wrote that the flat number is missing, or the courier
// could not find the street. Amazon's address stays as Amazon gave it; the correction sits beside
// it with who, on which device, when and why, and labels go to it (deliveryAddress in the domain).
import {
  type Address,
  addressCorrectionRefusal,
  addressProblems,
  ConsignError,
  ErrorCode,
  type Order,
} from "@consign/domain";
import { readOrder, writeOrder } from "@consign/sync";
import type * as Y from "yjs";
import { deviceOf, type Identity } from "../auth/identity.ts";

export interface AddressCorrectionInput {
  address: Address;
  reason?: string | undefined;
}

/**
 * Sets (or with `null`, removes) the order's corrected address. Refused once a label exists for the
 * current address (void it first) or the parcel has gone; the address is checked against the courier
 * the order's service uses, or Royal Mail's rules when none is chosen yet.
 */
export function correctAddress(
  room: { doc: Y.Doc; transact(fn: (doc: Y.Doc) => void): void },
  identity: Identity,
  orderId: string,
  input: AddressCorrectionInput | null,
  now: number,
): Order {
  const order = readOrder(room.doc, orderId);
  if (!order) throw new ConsignError(ErrorCode.NotFound, `Order ${orderId} is not in the live list.`);
  const refusal = addressCorrectionRefusal(order);
  if (refusal) throw new ConsignError(ErrorCode.IllegalTransition, refusal);
  const entry = { at: now, by: identity.name, ...deviceOf(identity) };
  if (input === null) {
    if (!order.addressCorrection) return order;
    room.transact((d) =>
      writeOrder(d, {
        orderId,
        addressCorrection: undefined,
        history: [...(order.history ?? []), { ...entry, action: "addressCorrectionRemoved" }],
      }),
    );
    return readOrder(room.doc, orderId) as Order;
  }
  const courier = order.service?.courier ?? "royal-mail";
  const problems = addressProblems(input.address, [courier], "recipient").map((p) => ({
    path: p.path.replace(/^recipient\./, "address."),
    message: p.message,
  }));
  if (problems.length > 0) {
    throw new ConsignError(
      ErrorCode.BadRequest,
      `That address would not get a ${courier === "royal-mail" ? "Royal Mail" : courier} label: ${problems.map((p) => `${p.path}: ${p.message}`).join("; ")}.`,
      problems,
    );
  }
  const address = tidy(input.address);
  const reason = input.reason?.trim();
  room.transact((d) =>
    writeOrder(d, {
      orderId,
      addressCorrection: { address, ...entry, ...(reason ? { reason } : {}) },
      history: [
        ...(order.history ?? []),
        { ...entry, action: "addressCorrected", detail: oneLine(address) + (reason ? ` (${reason})` : "") },
      ],
    }),
  );
  return readOrder(room.doc, orderId) as Order;
}

function tidy(a: Address): Address {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) {
    if (typeof v === "string" && v.trim() !== "") out[k] = v.trim();
  }
  out.postcode = (out.postcode ?? "").toUpperCase();
  out.countryCode = (out.countryCode ?? "GB").toUpperCase();
  return out as unknown as Address;
}

/** "Flat 3, 12 Canal St, Leeds LS1 4AB" */
export function oneLine(a: Address): string {
  return [a.companyName, a.line1, a.line2, a.line3, `${a.city} ${a.postcode}`].filter(Boolean).join(", ");
}
