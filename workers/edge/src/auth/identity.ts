import type { Role } from "./permissions.ts";

/** Who is calling, proved by a verified access token or API key. */
export interface Identity {
  sellerId: string;
  userId: string;
  role: Role;
  /** The device session (or API key id) the token was derived from. */
  sessionId: string;
  name: string;
  /** "session" for people on devices, "api-key" for integrations. */
  kind: "session" | "api-key";
  /** API keys carry a scope; people carry their role's capabilities. */
  scope?: "read" | "write";
  /** When the token was issued (epoch ms): tokens older than a member's removal are refused. */
  issuedAt?: number;
}
