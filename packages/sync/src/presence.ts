// Presence: who is looking at which order. Carried by y-protocols awareness; the room overwrites
// `user` with the identity it verified, so nobody can appear as someone else.

export type MemberRole = "owner" | "packer" | "viewer";

/** The awareness state each device sets with `awareness.setLocalState(...)`. */
export interface PresenceState {
  user: { id: string; name: string; role: MemberRole };
  /** The order open on this device, if any. */
  orderId?: string;
  /** A name for the device, e.g. "Packing bench tablet". */
  device?: string;
}

/** Reads a presence state from an awareness entry, tolerating what older clients send. */
export function readPresence(state: unknown): PresenceState | undefined {
  if (typeof state !== "object" || state === null) return undefined;
  const s = state as Record<string, unknown>;
  const user = s.user as Record<string, unknown> | undefined;
  if (typeof user !== "object" || user === null) return undefined;
  if (typeof user.id !== "string" || typeof user.name !== "string") return undefined;
  const role =
    user.role === "owner" || user.role === "packer" || user.role === "viewer" ? user.role : "viewer";
  const presence: PresenceState = { user: { id: user.id, name: user.name, role } };
  if (typeof s.orderId === "string") presence.orderId = s.orderId;
  if (typeof s.device === "string") presence.device = s.device;
  return presence;
}
