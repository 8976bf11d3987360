import type { Role } from "./permissions.ts";

/** Who is calling, proved by a verified access token or API key. */
/** `{ device }` for a history entry when the identity names its device, else nothing. */
export function deviceOf(identity: Pick<Identity, "deviceName">): { device?: string } {
  return identity.deviceName ? { device: identity.deviceName } : {};
}

export interface Identity {
  sellerId: string;
  userId: string;
  role: Role;
  /** The device session (or API key id) the token was derived from. */
  sessionId: string;
  name: string;
  /** The device the person signed in on ("Packing bench tablet"); none for API keys. */
  deviceName?: string;
  /** "session" for people on devices, "api-key" for integrations. */
  kind: "session" | "api-key";
  /** API keys carry a scope; people carry their role's capabilities. */
  scope?: "read" | "write";
  /** When the token was issued (epoch ms): tokens older than a member's removal are refused. */
  issuedAt?: number;
}
