// The owner's team: members, roles, invites, devices, API keys.
import { Hono } from "hono";
import { newApiKeySchema, roleBodySchema } from "../api/schemas/admin.ts";
import type { AppEnv } from "../app.ts";
import { allowed } from "../auth/middleware.ts";
import { unwrap } from "../http/result.ts";
import { valid } from "../http/validate.ts";
import { directoryOf, roomOf } from "../stubs.ts";
import { access } from "./guard.ts";

// The request schemas are the ones the OpenAPI document describes (src/api/routes/admin.ts).
const roleBody = roleBodySchema;
const apiKeyBody = newApiKeySchema;

export const teamRoutes = new Hono<AppEnv>()
  .get("/", access("read"), async (c) => {
    const identity = c.get("identity");
    const team = unwrap(await directoryOf(c.env).team(identity.sellerId));
    // Staff emails and devices are the owner's business: others see names and roles, and a person
    // their own email and devices; an API key sees no email and no device.
    const owner = allowed(identity, "manage");
    const self = identity.kind === "api-key" ? null : identity.userId;
    return c.json({
      members: team.members.map((m) =>
        owner || m.userId === self ? m : { userId: m.userId, name: m.name, role: m.role },
      ),
      devices: team.devices
        .filter((d) => owner || d.userId === self)
        .map((d) => ({ ...d, current: d.sessionId === identity.sessionId })),
    });
  })
  .post("/invites", access("manage"), valid("json", roleBody), async (c) => {
    const invite = unwrap(await directoryOf(c.env).createInvite(c.get("identity"), c.req.valid("json").role));
    return c.json(invite, 201);
  })
  .patch("/members/:userId", access("manage"), valid("json", roleBody), async (c) => {
    const identity = c.get("identity");
    const userId = c.req.param("userId");
    const result = unwrap(await directoryOf(c.env).changeRole(identity, userId, c.req.valid("json").role));
    // Tokens carrying the old role stop working now; the person's device fetches a new one.
    await roomOf(c.env, identity.sellerId).revokeUser(userId, Date.now(), "role changed");
    return c.json(result);
  })
  .delete("/members/:userId", access("manage"), async (c) => {
    const identity = c.get("identity");
    const userId = c.req.param("userId");
    unwrap(await directoryOf(c.env).removeMember(identity, userId));
    await roomOf(c.env, identity.sellerId).revokeUser(userId, Date.now(), "removed from the team");
    return c.json({ removed: true });
  })
  .delete("/devices/:sessionId", access("manage"), async (c) => {
    const sessionId = c.req.param("sessionId");
    const { sellers } = unwrap(await directoryOf(c.env).revokeDevice(c.get("identity"), sessionId));
    await Promise.all(sellers.map((s) => roomOf(c.env, s).revokeSessions([sessionId])));
    return c.json({ signedOut: true });
  })
  .get("/api-keys", access("manage"), async (c) => {
    const sellerId = c.get("identity").sellerId;
    const [keys, used] = await Promise.all([
      directoryOf(c.env).listApiKeys(sellerId),
      roomOf(c.env, sellerId).apiKeysLastUsed(),
    ]);
    return c.json({
      keys: unwrap(keys).map((k) => ({
        ...k,
        lastUsedAt: Math.max(k.lastUsedAt ?? 0, used[k.id] ?? 0) || null,
      })),
    });
  })
  .post("/api-keys", access("manage"), valid("json", apiKeyBody), async (c) => {
    const { name, scope } = c.req.valid("json");
    return c.json(unwrap(await directoryOf(c.env).createApiKey(c.get("identity"), name, scope)), 201);
  })
  .delete("/api-keys/:id", access("manage"), async (c) => {
    const id = c.req.param("id");
    const sellerId = c.get("identity").sellerId;
    const result = unwrap(await directoryOf(c.env).revokeApiKey(sellerId, id));
    // The edge verifies keys by signature alone: the seller's room refuses this one from now on.
    await roomOf(c.env, sellerId).revokeSessions([id]);
    return c.json(result);
  });
