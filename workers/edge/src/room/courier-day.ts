// The courier day as the room runs it: the owner's end-of-day settings (kept in the live document
// so every tablet shows them), the end-of-day close (Royal Mail manifest) on demand or by itself at
// the owner's time, and the alarm jobs that follow a manifest's paperwork.
import type { RoyalMailManifests } from "@consign/couriers";
import {
  ConsignError,
  type CourierDay as CourierDaySettings,
  courierDayOf,
  courierHandoversPatchSchema,
  ErrorCode,
  isClockTime,
  nextUkTime,
  ukTimeOnDay,
} from "@consign/domain";
import { readSetting, writeSetting } from "@consign/sync";
import { z } from "zod";
import type { RoomDoc } from "./label-runs.ts";
import { EndOfDay, type ManifestRecord } from "./manifests.ts";

export const COURIER_DAY_SETTING = "courierDay";
export const AUTO_CLOSE_BY = "Automatic end of day";

export const courierDayPatchSchema = z
  .object({
    autoCloseAt: z.string().refine(isClockTime, "give a UK time as HH:MM, e.g. 18:30").nullable().optional(),
    failover: z.boolean().optional(),
    /** Each courier's cut-off and collection or drop-off time; couriers not named keep theirs. */
    couriers: courierHandoversPatchSchema.optional(),
  })
  .strict();
export type CourierDayPatch = z.infer<typeof courierDayPatchSchema>;

export function readCourierDay(room: RoomDoc): CourierDaySettings {
  return courierDayOf(readSetting<unknown>(room.doc, COURIER_DAY_SETTING));
}

export interface CourierDayDeps {
  sql: SqlStorage;
  room: RoomDoc;
  documents: R2Bucket;
  prefix: string;
  manifests: () => Promise<RoyalMailManifests>;
  /** Asks the room's alarm to run a job at `at`. */
  schedule: (job: "endOfDay" | "manifests", at: number) => Promise<void>;
  now?: () => number;
}

export class CourierDay {
  readonly endOfDay: EndOfDay;
  private readonly now: () => number;

  constructor(private readonly deps: CourierDayDeps) {
    this.now = deps.now ?? (() => Date.now());
    this.endOfDay = new EndOfDay({
      sql: deps.sql,
      room: deps.room,
      documents: deps.documents,
      prefix: deps.prefix,
      manifests: deps.manifests,
      now: this.now,
    });
  }

  settings(): CourierDaySettings {
    return readCourierDay(this.deps.room);
  }

  async patchSettings(patch: unknown): Promise<CourierDaySettings> {
    const parsed = courierDayPatchSchema.safeParse(patch);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => ({
        path: i.path.join(".") || "(body)",
        message: i.message,
      }));
      // The first reason in the message itself: the tablet shows it as it is.
      throw new ConsignError(
        ErrorCode.BadRequest,
        `Some end-of-day settings are not valid: ${fields.map((f) => `${f.path}: ${f.message}`).join("; ")}.`,
        fields,
      );
    }
    const next: CourierDaySettings = { ...this.settings() };
    if (parsed.data.autoCloseAt !== undefined) next.autoCloseAt = parsed.data.autoCloseAt;
    if (parsed.data.failover !== undefined) next.failover = parsed.data.failover;
    if (parsed.data.couriers) next.couriers = { ...next.couriers, ...parsed.data.couriers };
    this.deps.room.transact((d) => writeSetting(d, COURIER_DAY_SETTING, next), "server");
    if (next.autoCloseAt) await this.deps.schedule("endOfDay", nextUkTime(this.now(), next.autoCloseAt));
    return next;
  }

  /** "Close the day" from a tablet or the API. */
  async close(by: string): Promise<ManifestRecord> {
    const m = await this.endOfDay.close(by, false);
    if (m.state === "in_progress") await this.deps.schedule("manifests", this.now() + 30_000);
    return m;
  }

  async retry(id: string, by: string): Promise<ManifestRecord> {
    const m = await this.endOfDay.retry(id, by);
    if (m.state === "in_progress") await this.deps.schedule("manifests", this.now() + 30_000);
    return m;
  }

  /**
   * The alarm's end-of-day job: closes the day when the owner's time has come (nothing to hand
   * over is not an error then), and books the next close. Returns when to run again, or null.
   */
  async autoClose(now: number): Promise<number | null> {
    const at = this.settings().autoCloseAt;
    if (!at) return null;
    // Booked for an earlier time the owner has since changed: wait for the new one.
    if (now < ukTimeOnDay(now, at) - 60_000) return ukTimeOnDay(now, at);
    try {
      const m = await this.endOfDay.close(AUTO_CLOSE_BY, true);
      if (m.state === "in_progress") await this.deps.schedule("manifests", now + 30_000);
    } catch (error) {
      if (!(error instanceof ConsignError && error.code === ErrorCode.Conflict)) {
        console.error("automatic end of day failed", error);
      }
    }
    return nextUkTime(now + 60_000, at);
  }
}
