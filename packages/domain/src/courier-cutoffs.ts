// Each courier's day: the cut-off (the last moment an order can be labelled and packed to go with
// today's collection) and the collection or drop-off time, in UK time. The owner sets them per
// courier (Settings → End of day); couriers left alone keep the defaults below. An order goes with
// its own courier's collection, so its late risk reads its courier's cut-off; an order with no
// courier chosen yet reads the team's cut-off (Settings → Warehouse, dispatch-cutoff.ts).
// Pure: the caller passes `now` (the room's clock).
import { z } from "zod";
import { type CourierDaySettings, DEFAULT_COURIER_DAY, isClockTime } from "./courier-day.ts";
import type { CourierId, Order } from "./order.ts";
import { activeShipment } from "./order.ts";
import { COURIER_NAMES } from "./words.ts";

export interface CourierHandover {
  /** "HH:MM" UK time: orders labelled and packed by then go with today's collection. */
  cutoff: string;
  /** "HH:MM" UK time: when the courier collects, or when the parcels must be at the drop-off. */
  handoverAt: string;
  /** The courier's van collects from the warehouse, or the team drops the parcels off. */
  handover: "collection" | "drop_off";
}

export type CourierHandovers = Readonly<Record<CourierId, CourierHandover>>;

/**
 * Typical UK afternoon collections for a small seller's business account, each cut-off half an hour
 * before the van so the last parcels can be packed: Royal Mail's business collection comes late in
 * the afternoon (Click & Drop manifests from 18:30), DPD's and Evri's routes a little earlier, and
 * Amazon Shipping's pick-up earliest. Every seller's real times differ: the owner sets their own.
 */
export const DEFAULT_COURIER_HANDOVERS: CourierHandovers = {
  "royal-mail": { cutoff: "17:00", handoverAt: "17:30", handover: "collection" },
  dpd: { cutoff: "16:30", handoverAt: "17:00", handover: "collection" },
  evri: { cutoff: "16:00", handoverAt: "16:30", handover: "collection" },
  "amazon-shipping": { cutoff: "15:00", handoverAt: "15:30", handover: "collection" },
};

export const COURIER_ORDER: readonly CourierId[] = ["royal-mail", "dpd", "evri", "amazon-shipping"];

const clockTime = (what: string) =>
  z
    .string({ error: `give ${what} as a UK time HH:MM, e.g. 16:30` })
    .trim()
    .refine(isClockTime, `give ${what} as a UK time HH:MM (24-hour), e.g. 16:30`);

/** One courier's times as the owner sends them; the cut-off may not come after the handover. */
export const courierHandoverSchema = z
  .object({
    cutoff: clockTime("the cut-off"),
    handoverAt: clockTime("the collection or drop-off time"),
    handover: z.enum(["collection", "drop_off"], {
      error: 'say "collection" (the courier collects) or "drop_off" (you drop the parcels off)',
    }),
  })
  .strict();

/** The couriers' times as the owner changes them: only the couriers named change. */
export const courierHandoversPatchSchema = z
  .partialRecord(z.enum(["royal-mail", "dpd", "evri", "amazon-shipping"]), courierHandoverSchema)
  .superRefine((patch, ctx) => {
    for (const [courier, times] of Object.entries(patch)) {
      if (times && times.cutoff > times.handoverAt) {
        const name = COURIER_NAMES[courier as CourierId];
        ctx.addIssue({
          code: "custom",
          path: [courier, "cutoff"],
          message: `${name}'s cut-off (${times.cutoff}) is after its ${times.handover === "collection" ? "collection" : "drop-off"} (${times.handoverAt}): the cut-off is the last moment to pack for it, so set it at or before ${times.handoverAt}`,
        });
      }
    }
  });
export type CourierHandoversPatch = z.infer<typeof courierHandoversPatchSchema>;

/** The stored times over the defaults: a courier never set, or set to something unreadable, keeps its default. */
export function courierHandoversOf(stored: unknown): CourierHandovers {
  const out: Record<CourierId, CourierHandover> = { ...DEFAULT_COURIER_HANDOVERS };
  if (stored && typeof stored === "object") {
    for (const courier of COURIER_ORDER) {
      const one = courierHandoverSchema.safeParse((stored as Record<string, unknown>)[courier]);
      if (one.success && one.data.cutoff <= one.data.handoverAt) out[courier] = one.data;
    }
  }
  return out;
}

/** What an order's late risk is read against: the team's cut-off and each courier's. */
export interface DispatchCutoffs {
  /** For orders with no courier chosen yet (Settings → Warehouse). */
  team: string;
  couriers: CourierHandovers;
}

/** The courier an order goes with: its bought label's, else the service chosen for it; undefined when none yet. */
export function courierOf(order: Pick<Order, "shipments" | "service">): CourierId | undefined {
  return activeShipment(order)?.courier ?? order.service?.courier;
}

/** The cut-off an order is read against: its courier's, or the team's when it has no courier yet. */
export function cutoffFor(order: Pick<Order, "shipments" | "service">, cutoffs: DispatchCutoffs): string {
  const courier = courierOf(order);
  return courier ? cutoffs.couriers[courier].cutoff : cutoffs.team;
}

/** The whole courier day as the room keeps it (the `courierDay` setting): end of day, failover, each courier's times. */
export type CourierDay = CourierDaySettings & { couriers: CourierHandovers };

/** The stored `courierDay` setting read over the defaults (never throws: unreadable parts keep theirs). */
export function courierDayOf(stored: unknown): CourierDay {
  const s = (stored && typeof stored === "object" ? stored : {}) as Partial<
    Record<keyof CourierDay, unknown>
  >;
  return {
    autoCloseAt:
      typeof s.autoCloseAt === "string" && isClockTime(s.autoCloseAt)
        ? s.autoCloseAt
        : DEFAULT_COURIER_DAY.autoCloseAt,
    failover: typeof s.failover === "boolean" ? s.failover : DEFAULT_COURIER_DAY.failover,
    couriers: courierHandoversOf(s.couriers),
  };
}

/** A change to the courier day (PATCH /api/v1/settings/courier-day): only what is named changes. */
export interface CourierDayPatch {
  autoCloseAt?: string | null;
  failover?: boolean;
  couriers?: CourierHandoversPatch;
}
