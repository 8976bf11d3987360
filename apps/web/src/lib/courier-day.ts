// The end of the courier day on the tablet: close it with Royal Mail (one Click & Drop manifest),
// print the manifest, and the owner's automatic close time. The settings are read live from the
// document (the room writes them; owners change them through PATCH /api/v1/settings/courier-day).
import type { CourierDaySettings } from "@consign/domain";
import { createSignal, getOwner, onCleanup } from "solid-js";
import type * as Y from "yjs";
import * as api from "./api.ts";
import { MAP, readSetting } from "./doc.ts";

export const COURIER_DAY = "courierDay";

export interface Manifest {
  id: string;
  manifestNumber: number | null;
  state: "closing" | "in_progress" | "completed" | "failed" | "refused" | "uncertain";
  requestedBy: string;
  requestedAt: string;
  automatic: boolean;
  labels: number;
  documentReady: boolean;
  error: string | null;
}

export function readCourierDay(doc: Y.Doc): CourierDaySettings {
  return {
    autoCloseAt: null,
    failover: true,
    ...(readSetting<Partial<CourierDaySettings>>(doc, COURIER_DAY) ?? {}),
  };
}

/** The settings as a signal that follows every device's change. */
export function courierDaySignal(doc: Y.Doc): () => CourierDaySettings {
  const [value, setValue] = createSignal(readCourierDay(doc));
  const map = doc.getMap<unknown>(MAP.settings);
  const observe = () => setValue(readCourierDay(doc));
  map.observe(observe);
  if (getOwner()) onCleanup(() => map.unobserve(observe));
  return value;
}

export const closeDay = () => api.postOnce<Manifest>("/api/v1/manifests", crypto.randomUUID());
export const retryManifest = (id: string) =>
  api.postOnce<Manifest>(`/api/v1/manifests/${encodeURIComponent(id)}/retry`, crypto.randomUUID());
export const listManifests = () => api.getJson<{ manifests: Manifest[] }>("/api/v1/manifests");
export const patchCourierDay = (patch: Partial<CourierDaySettings>) =>
  api.patchJson<CourierDaySettings>("/api/v1/settings/courier-day", patch);

/** One line a packer reads: "Manifest 1001: 42 Royal Mail parcels, closed 18:30 by Sam". */
export function manifestWords(m: Manifest, time: (iso: string) => string): string {
  const who = m.automatic ? "automatically" : `by ${m.requestedBy}`;
  const parcels = `${m.labels} Royal Mail parcel${m.labels === 1 ? "" : "s"}`;
  switch (m.state) {
    case "completed":
      return `Manifest ${m.manifestNumber}: ${parcels}, closed ${time(m.requestedAt)} ${who}.`;
    case "in_progress":
      return `Manifest ${m.manifestNumber}: ${parcels}, closed ${time(m.requestedAt)} ${who}; Royal Mail is still making the paperwork.`;
    case "closing":
      return `Closing the day with Royal Mail (${parcels})…`;
    default:
      return m.error ?? "The day could not be closed with Royal Mail.";
  }
}
