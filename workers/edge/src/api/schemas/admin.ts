// Schemas of the routes written as plain Hono handlers (src/routes/team.ts, src/routes/seller.ts):
// the team and its API keys, Amazon and courier connections, settings, stock, the archive.
// The request schemas here are the ones those routes validate with; the response schemas describe
// what they answer (times there are milliseconds since the Unix epoch, as the PWA reads them).
import { z } from "@hono/zod-openapi";
import { roles } from "../../auth/permissions.ts";
import { COURIER_IDS } from "../../room/courier-vault.ts";
import { orderSchema } from "./orders.ts";

const epochMs = (description: string) =>
  z
    .number()
    .int()
    .openapi({ description: `${description} (milliseconds since the Unix epoch).` });

// --- team ------------------------------------------------------------------------------------

export const roleSchema = z.enum(roles).openapi({
  description:
    "owner: everything; packer: orders, labels, dispatch, stock; viewer: reads only. API keys act as packer (write) or viewer (read).",
});

export const roleBodySchema = z.object({ role: roleSchema }).openapi("RoleChange");
export const memberRoleSchema = z.object({ role: roleSchema }).openapi("MemberRole");

export const teamSchema = z
  .object({
    members: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        role: roleSchema,
        email: z
          .string()
          .optional()
          .openapi({ description: "Shown to the owner, and to each person for themselves only." }),
      }),
    ),
    devices: z
      .array(
        z.object({
          sessionId: z.string(),
          userId: z.string(),
          userName: z.string(),
          deviceName: z.string(),
          lastSeenAt: epochMs("When the device last reached Consign"),
          current: z.boolean().openapi({ description: "The device making this request." }),
        }),
      )
      .openapi({ description: "Every signed-in device for the owner; a person's own devices otherwise." }),
  })
  .openapi("Team");

export const inviteSchema = z
  .object({
    code: z.string().openapi({ description: "Single-use code the invited person signs up or in with." }),
    role: roleSchema,
    expiresAt: epochMs("When the code stops working (72 hours after it was made)"),
  })
  .openapi("Invite");

export const userIdParams = z.object({
  userId: z
    .string()
    .min(1)
    .openapi({ param: { name: "userId", in: "path" } }),
});
export const sessionIdParams = z.object({
  sessionId: z
    .string()
    .min(1)
    .openapi({ param: { name: "sessionId", in: "path" } }),
});
export const apiKeyIdParams = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: "id", in: "path" }, description: "The key's id." }),
});

export const newApiKeySchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "name the key after what will use it")
      .max(80, "a key's name is at most 80 characters")
      .openapi({ example: "Stock sync" }),
    scope: z.enum(["read", "write"], { message: "scope is read or write" }).openapi({
      description: "read: reads only. write: also buys labels, dispatches, edits rules and stock.",
    }),
  })
  .openapi("NewApiKey");

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    scope: z.enum(["read", "write"]),
    prefix: z.string().openapi({ description: "The start and end of the key, to tell keys apart." }),
    createdAt: epochMs("When the key was created"),
    lastUsedAt: epochMs("When the key was last used").nullable(),
    revokedAt: epochMs("When the key was revoked").nullable(),
  })
  .openapi("ApiKey");

export const createdApiKeySchema = apiKeySchema
  .extend({
    key: z.string().openapi({
      description:
        "The key itself (csk_…): shown only in this answer. Send it as `Authorization: Bearer <key>`.",
    }),
  })
  .openapi("CreatedApiKey");

// --- Amazon, couriers ------------------------------------------------------------------------

export const amazonStatusSchema = z
  .object({
    connected: z.boolean(),
    sellingPartnerId: z.string().optional(),
    connectedAt: epochMs("When the seller connected Amazon").optional(),
    lastSyncAt: epochMs("When orders were last read from Amazon").optional(),
    error: z
      .string()
      .optional()
      .openapi({ description: "What stops orders or confirmations, for a person." }),
    import: z
      .object({
        connected: z.boolean(),
        phase: z.string(),
        unshippedComplete: z.boolean(),
        historyComplete: z.boolean(),
        ordersKnown: z.number().int(),
        lastSyncAt: z.number().int().optional(),
        lastError: z.string().optional(),
        lastErrorCode: z.string().optional(),
      })
      .nullable(),
    confirmations: z.object({
      pending: z.number().int(),
      confirmed: z.number().int(),
      failed: z.number().int(),
    }),
    confirmationsStopped: z.string().optional(),
  })
  .openapi("AmazonStatus");

export const consentUrlSchema = z
  .object({
    url: z.string().openapi({ description: "Seller Central's consent page: open it in a browser." }),
  })
  .openapi("AmazonConsent");

export const amazonDisconnectedSchema = z
  .object({
    connected: z.literal(false),
    liveUpdates: z
      .object({
        subscription: z.enum(["deleted", "none", "retrying"]).openapi({
          description:
            "The seller's ORDER_CHANGE subscription at Amazon: deleted (Amazon stops sending the seller's order notifications), none (there was none), or retrying (Amazon could not be reached; Consign tries again and ignores what still arrives).",
        }),
        message: z.string().optional().openapi({ description: "Why it is retrying, for a person." }),
      })
      .openapi({
        description: "Live order updates (Amazon's ORDER_CHANGE notifications) after the disconnect.",
      }),
  })
  .openapi("AmazonDisconnected");

export const courierParams = z.object({
  courier: z
    .enum(COURIER_IDS as unknown as [string, ...string[]])
    .openapi({ param: { name: "courier", in: "path" } }),
});

export const courierStatusSchema = z
  .array(
    z.object({
      courier: z.enum(COURIER_IDS as unknown as [string, ...string[]]),
      connected: z.boolean(),
      connectedAt: epochMs("When the credentials were stored").optional(),
      via: z.enum(["click-and-drop", "pro-shipping"]).optional().openapi({
        description:
          "Royal Mail only: the API the account is connected through, Click & Drop (an API key) or Pro Shipping (a contract account, Shipping API v3).",
      }),
    }),
  )
  .openapi("CourierConnections");

export const courierCredentialsSchema = z.record(z.string(), z.string()).openapi("CourierCredentials", {
  description:
    "The courier's own account fields: royal-mail {apiKey} (Click & Drop) or {api: \"pro-shipping\", clientId, clientSecret, username, password, postingLocation} (Pro Shipping, Royal Mail's Shipping API v3 for contract accounts: the sign-in is tried first, and credentials it refuses are not stored), dpd {username, password, accountNumber}, evri {username, password, clientId, clientName}, amazon-shipping {} (it uses the Amazon connection). Stored encrypted, never shown again.",
});

// --- settings, stock, health, archive ------------------------------------------------------------

export const roomClockSchema = z
  .object({
    now: z.string().openapi({ description: "The seller's time now (ISO 8601, UTC)." }),
    nowMs: z.number().int().openapi({ description: "The same instant in epoch milliseconds." }),
    timeZone: z.literal("Europe/London").openapi({
      description: "The time zone cut-offs and ship-by days are read in.",
    }),
  })
  .openapi("RoomClock");

export const settingsSchema = z
  .object({
    sender: z.record(z.string(), z.unknown()).nullable().openapi({ description: "The dispatch address." }),
    skuWeights: z.record(z.string(), z.number()),
    packagingGrams: z.number(),
    printer: z.object({ layout: z.string(), withPackingSlip: z.boolean() }),
    autoConfirmOnPrint: z.boolean(),
    dispatchCutoff: z.string().openapi({
      description:
        "The team's cut-off, HH:MM UK time (17:00 unless set), for orders with no courier yet: an order whose ship-by falls before the next collection is at risk (shipBy.risk). Orders with a courier read that courier's cut-off (GET /api/v1/settings/courier-day).",
    }),
  })
  .openapi("Settings");

export const stockBodySchema = z
  .object({
    changes: z
      .array(
        z.object({
          sku: z.string().trim().min(1).max(80),
          delta: z
            .number()
            .int()
            .min(-100_000)
            .max(100_000)
            .openapi({ description: "Units to add (negative to take away)." }),
        }),
      )
      .min(1, "give at least one change")
      .max(500, "at most 500 changes at a time"),
  })
  .openapi("StockAdjustments");

export const stockSchema = z
  .object({
    levels: z.record(z.string(), z.number()).openapi({ description: "Units on the shelf, per SKU." }),
    available: z
      .record(z.string(), z.number())
      .openapi({ description: "Units on the shelf not held by open orders, per SKU." }),
    unfillable: z
      .array(
        z.object({
          orderId: z.string(),
          short: z.array(z.object({ sku: z.string(), needed: z.number(), available: z.number() })),
        }),
      )
      .openapi({ description: "Open orders stock cannot fill, oldest first keeping what there is." }),
    lowStock: z.array(
      z.object({
        sku: z.string(),
        available: z.number(),
        threshold: z.number(),
        level: z.enum(["out", "low"]),
      }),
    ),
    pushedToAmazon: z.array(
      z.object({
        sku: z.string(),
        quantity: z.number(),
        state: z.enum(["pending", "accepted", "refused", "retrying"]),
        issue: z.string().optional(),
        attempts: z.number().int(),
        nextAttemptAt: z.number().int().optional(),
        pushedQuantity: z.number().optional(),
        updatedAt: z.number().int(),
      }),
    ),
  })
  .openapi("Stock");

export const officialHealthSchema = z
  .object({
    fetchedAt: epochMs("When Amazon's report was read").nullable(),
    accountHealthRating: z
      .unknown()
      .nullable()
      .openapi({ description: "Amazon's rating as Amazon gives it." }),
    comparisons: z.array(
      z.object({
        metric: z.string(),
        channel: z.enum(["MFN", "AFN"]),
        ours: z.object({
          rate: z.number().nullable(),
          numerator: z.number(),
          denominator: z.number(),
          from: z.number().int(),
          to: z.number().int(),
        }),
        amazon: z.record(z.string(), z.unknown()).nullable(),
        same: z.boolean(),
        reasons: z.array(z.string()).openapi({ description: "Why our figure differs from Amazon's." }),
      }),
    ),
    reports: z.array(
      z.object({
        kind: z.string(),
        state: z.string(),
        requestedAt: z.number().int(),
        error: z.string().optional(),
      }),
    ),
  })
  .openapi("OfficialHealth");

export const reviewRequestsSchema = z.object({ enabled: z.boolean() }).openapi("ReviewRequests", {
  description: "Whether Amazon's review request goes to each delivered order.",
});
export const reviewRequestsChangeSchema = z
  .object({ enabled: z.boolean({ message: "enabled is true or false" }) })
  .openapi("ReviewRequestsChange", { description: "Turn Amazon's review request on or off." });

export const monthParams = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "use yyyy-mm, e.g. 2026-10")
    .openapi({ param: { name: "month", in: "path" }, example: "2026-10" }),
});

export const archiveMonthsSchema = z
  .object({
    months: z.array(
      z.object({
        month: z.string().openapi({ example: "2026-10" }),
        orders: z.number().int(),
        updatedAt: epochMs("When an order in the month last changed"),
      }),
    ),
  })
  .openapi("ArchiveMonths");

export const archiveMonthSchema = z
  .object({
    month: z.string().openapi({ example: "2026-10" }),
    orders: z.array(orderSchema).openapi({
      description: "The month's archived orders, newest purchase first, in the same shape as GET /orders.",
    }),
  })
  .openapi("ArchiveMonth");

export const archiveMonthDocumentsSchema = z
  .object({
    month: z.string(),
    orders: z
      .array(z.record(z.string(), z.unknown()))
      .openapi({ description: "The orders as Consign's live document holds them (times in epoch ms)." }),
  })
  .openapi("ArchiveMonthDocuments");
