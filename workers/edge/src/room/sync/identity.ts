// Who is on a socket: set by the edge route after it verified the token, in the
// `x-consign-identity` header (the edge strips any such header a client sends). The room trusts
// nothing else.

import { z } from "zod";

export const IDENTITY_HEADER = "x-consign-identity";

export const SyncIdentitySchema = z.object({
  sellerId: z.string().min(1).max(200),
  userId: z.string().min(1).max(200),
  role: z.enum(["owner", "packer", "viewer"]),
  sessionId: z.string().min(1).max(200),
  name: z.string().max(200),
  /** People's devices, or an integration's API key (which reads only). */
  kind: z.enum(["session", "api-key"]).default("session"),
});

export type SyncIdentity = z.infer<typeof SyncIdentitySchema>;

export type IdentityResult = { ok: true; identity: SyncIdentity } | { ok: false; reason: string };

export function readIdentity(request: Request): IdentityResult {
  const raw = request.headers.get(IDENTITY_HEADER);
  if (raw === null) {
    return { ok: false, reason: `Missing ${IDENTITY_HEADER}: connect through the edge's /sync route.` };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: `${IDENTITY_HEADER} is not JSON.` };
  }
  const parsed = SyncIdentitySchema.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join(".") || "(root)").join(", ");
    return { ok: false, reason: `${IDENTITY_HEADER} is incomplete or wrong at: ${where}.` };
  }
  return { ok: true, identity: parsed.data };
}
