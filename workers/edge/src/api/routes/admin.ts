// The OpenAPI description of the /api/v1 routes written as plain Hono handlers (src/routes/team.ts
// and src/routes/seller.ts, mounted beside this router by src/app.ts). They are served there; here
// they are only described, with the schemas those handlers validate with. test/api-openapi.test.ts
// fails when the app serves an /api/v1 route this document does not describe.
import type { RouteConfig } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import { settingsPatchSchema } from "../../room/settings.ts";
import type { ApiRouter } from "../index.ts";
import {
  amazonDisconnectedSchema,
  amazonStatusSchema,
  apiKeyIdParams,
  apiKeySchema,
  archiveMonthDocumentsSchema,
  archiveMonthSchema,
  archiveMonthsSchema,
  consentUrlSchema,
  courierCredentialsSchema,
  courierParams,
  courierStatusSchema,
  createdApiKeySchema,
  inviteSchema,
  memberRoleSchema,
  monthParams,
  newApiKeySchema,
  officialHealthSchema,
  reviewRequestsChangeSchema,
  reviewRequestsSchema,
  roleBodySchema,
  roomClockSchema,
  sessionIdParams,
  settingsSchema,
  stockBodySchema,
  stockSchema,
  teamSchema,
  userIdParams,
} from "../schemas/admin.ts";
import { errorResponses } from "../schemas/common.ts";

const json = <S>(schema: S) => ({ "application/json": { schema } });
const OWNER = "Owner only (a device of the account owner; API keys may not).";

export function documentAdminRoutes(api: ApiRouter): void {
  const paths: RouteConfig[] = [
    // --- team and API keys ---
    {
      method: "get",
      path: "/team",
      operationId: "getTeam",
      tags: ["Team"],
      summary: "The team: members and signed-in devices",
      description:
        "Staff emails and devices are shown to the owner only; others see names and roles, and their own email and devices. API keys see no email and no device.",
      responses: { 200: { description: "The team.", content: json(teamSchema) }, ...errorResponses() },
    },
    {
      method: "post",
      path: "/team/invites",
      operationId: "createInvite",
      tags: ["Team"],
      summary: "Invite someone with a role",
      description: OWNER,
      request: { body: { required: true, content: json(roleBodySchema) } },
      responses: {
        201: { description: "A single-use invite code.", content: json(inviteSchema) },
        ...errorResponses(400, 409, 422),
      },
    },
    {
      method: "patch",
      path: "/team/members/{userId}",
      operationId: "changeMemberRole",
      tags: ["Team"],
      summary: "Change a member's role",
      description: `${OWNER} The person's devices fetch new access at once.`,
      request: { params: userIdParams, body: { required: true, content: json(roleBodySchema) } },
      responses: {
        200: { description: "The new role.", content: json(memberRoleSchema) },
        ...errorResponses(400, 404, 409, 422),
      },
    },
    {
      method: "delete",
      path: "/team/members/{userId}",
      operationId: "removeMember",
      tags: ["Team"],
      summary: "Remove a member from the team",
      description: `${OWNER} Their devices are signed out at once.`,
      request: { params: userIdParams },
      responses: {
        200: { description: "Removed.", content: json(z.object({ removed: z.literal(true) })) },
        ...errorResponses(404, 409, 422),
      },
    },
    {
      method: "delete",
      path: "/team/devices/{sessionId}",
      operationId: "signOutDevice",
      tags: ["Team"],
      summary: "Sign a device out",
      description: `${OWNER} Its live connection closes at once.`,
      request: { params: sessionIdParams },
      responses: {
        200: { description: "Signed out.", content: json(z.object({ signedOut: z.literal(true) })) },
        ...errorResponses(404, 409, 422),
      },
    },
    {
      method: "get",
      path: "/team/api-keys",
      operationId: "listApiKeys",
      tags: ["API keys"],
      summary: "List API keys",
      description: `${OWNER} The keys themselves are never shown again.`,
      responses: {
        200: {
          description: "Every key, revoked ones included.",
          content: json(z.object({ keys: z.array(apiKeySchema) })),
        },
        ...errorResponses(),
      },
    },
    {
      method: "post",
      path: "/team/api-keys",
      operationId: "createApiKey",
      tags: ["API keys"],
      summary: "Create an API key",
      description: `${OWNER} The key is in this answer only: store it now.`,
      request: { body: { required: true, content: json(newApiKeySchema) } },
      responses: {
        201: { description: "The new key, shown once.", content: json(createdApiKeySchema) },
        ...errorResponses(400, 409, 422),
      },
    },
    {
      method: "delete",
      path: "/team/api-keys/{id}",
      operationId: "revokeApiKey",
      tags: ["API keys"],
      summary: "Revoke an API key",
      description: `${OWNER} The key stops working at once.`,
      request: { params: apiKeyIdParams },
      responses: {
        200: { description: "Revoked.", content: json(z.object({ revoked: z.literal(true) })) },
        ...errorResponses(404, 409, 422),
      },
    },
    // --- Amazon and couriers ---
    {
      method: "get",
      path: "/amazon/status",
      operationId: "getAmazonStatus",
      tags: ["Amazon"],
      summary: "Amazon connection, order import and confirmations",
      description:
        "Whether Amazon is connected, how far the order import has got, how many dispatch confirmations are waiting, sent or failed, and what stops them.",
      responses: {
        200: { description: "Where the connection stands.", content: json(amazonStatusSchema) },
        ...errorResponses(),
      },
    },
    {
      method: "post",
      path: "/amazon/connect",
      operationId: "startAmazonConnect",
      tags: ["Amazon"],
      summary: "Start connecting Amazon",
      description: `${OWNER} Gives Seller Central's consent page; Amazon sends the seller back to Consign.`,
      responses: {
        200: { description: "The consent page to open.", content: json(consentUrlSchema) },
        ...errorResponses(409, 422),
      },
    },
    {
      method: "delete",
      path: "/amazon",
      operationId: "disconnectAmazon",
      tags: ["Amazon"],
      summary: "Disconnect Amazon",
      description: `${OWNER} Orders stop arriving and confirmations stop being sent; Amazon is told to stop sending the seller's order notifications (its ORDER_CHANGE subscription is deleted). Connecting again subscribes again.`,
      responses: {
        200: { description: "Disconnected.", content: json(amazonDisconnectedSchema) },
        ...errorResponses(409, 422),
      },
    },
    {
      method: "get",
      path: "/couriers",
      operationId: "listCourierConnections",
      tags: ["Couriers"],
      summary: "Which courier accounts are connected",
      description:
        "One line per courier Consign buys labels from; the credentials themselves are never shown.",
      responses: {
        200: { description: "One line per courier.", content: json(courierStatusSchema) },
        ...errorResponses(),
      },
    },
    {
      method: "put",
      path: "/couriers/{courier}",
      operationId: "setCourierCredentials",
      tags: ["Couriers"],
      summary: "Store a courier account's credentials",
      description: `${OWNER} Write-only: the credentials are stored encrypted and never shown again.`,
      request: { params: courierParams, body: { required: true, content: json(courierCredentialsSchema) } },
      responses: {
        200: {
          description: "Connected.",
          content: json(z.object({ courier: z.string(), connected: z.literal(true) })),
        },
        ...errorResponses(400, 409, 422),
      },
    },
    // --- settings ---
    {
      method: "get",
      path: "/clock",
      operationId: "getClock",
      tags: ["Settings"],
      summary: "The seller's time now",
      description:
        "The time this seller's dispatch cut-off, ship-by buckets and `shipBy.risk` are read on. A device whose own clock is wrong (or a simulation that moves the seller's time) shows the same countdown as the API when it counts from this.",
      responses: {
        200: { description: "The time now.", content: json(roomClockSchema) },
        ...errorResponses(),
      },
    },
    {
      method: "get",
      path: "/settings",
      operationId: "getSettings",
      tags: ["Settings"],
      summary: "The team's settings",
      description:
        "Dispatch address, SKU weights, packaging weight, label layout and whether printing confirms dispatch.",
      responses: {
        200: { description: "The settings.", content: json(settingsSchema) },
        ...errorResponses(),
      },
    },
    {
      method: "patch",
      path: "/settings",
      operationId: "updateSettings",
      tags: ["Settings"],
      summary: "Change some settings",
      description: `${OWNER} Only the fields sent change; every device shows them at once. New SKU weights or packaging weigh again every order not yet labelled.`,
      request: { body: { required: true, content: json(settingsPatchSchema.openapi("SettingsPatch")) } },
      responses: {
        200: { description: "The settings as saved.", content: json(settingsSchema) },
        ...errorResponses(400, 409, 422),
      },
    },
    {
      method: "get",
      path: "/settings/review-requests",
      operationId: "getReviewRequests",
      tags: ["Settings"],
      summary: "Whether review requests are sent",
      description: "When on, Amazon's own review request goes to each order once it is delivered.",
      responses: {
        200: { description: "On or off.", content: json(reviewRequestsSchema) },
        ...errorResponses(),
      },
    },
    {
      method: "put",
      path: "/settings/review-requests",
      operationId: "setReviewRequests",
      tags: ["Settings"],
      summary: "Turn review requests on or off",
      description: `${OWNER} Needs Amazon connected.`,
      request: { body: { required: true, content: json(reviewRequestsChangeSchema) } },
      responses: {
        200: { description: "On or off, as saved.", content: json(reviewRequestsSchema) },
        ...errorResponses(400, 409, 422),
      },
    },
    // --- health, stock, archive ---
    {
      method: "get",
      path: "/health/official",
      operationId: "getOfficialHealth",
      tags: ["Metrics"],
      summary: "Amazon's own account-health figures beside ours",
      description: "Each metric as Amazon reports it and as Consign computes it, with why they differ.",
      responses: {
        200: { description: "The comparison.", content: json(officialHealthSchema) },
        ...errorResponses(),
      },
    },
    {
      method: "get",
      path: "/stock",
      operationId: "getStock",
      tags: ["Stock"],
      summary: "Stock levels, what open orders hold, and who is short",
      description:
        "For each SKU the seller tracks: units on the shelf, units free to sell, the open orders stock cannot fill, SKUs running low, and the quantities pushed to Amazon.",
      responses: { 200: { description: "The stock view.", content: json(stockSchema) }, ...errorResponses() },
    },
    {
      method: "post",
      path: "/stock/adjustments",
      operationId: "adjustStock",
      tags: ["Stock"],
      summary: "Add or take away stock",
      description:
        "Needs a write key. Each change adds its delta to the SKU's level; Amazon's quantity follows. Repeat with the same Idempotency-Key to never count a change twice.",
      request: { body: { required: true, content: json(stockBodySchema) } },
      responses: {
        200: { description: "The stock view after the changes.", content: json(stockSchema) },
        ...errorResponses(400, 409, 422),
      },
    },
    {
      method: "get",
      path: "/archive",
      operationId: "listArchiveMonths",
      tags: ["Orders"],
      summary: "Months of archived orders",
      description:
        "Orders leave the live list three days after they are sent; each month says when it last changed.",
      responses: {
        200: { description: "Every archived month.", content: json(archiveMonthsSchema) },
        ...errorResponses(),
      },
    },
    {
      method: "get",
      path: "/archive/{month}",
      operationId: "getArchiveMonth",
      tags: ["Orders"],
      summary: "A month's archived orders",
      description:
        "Every order of the month (by purchase date, UTC) that has left the live list, in the same shape as GET /orders. GET /orders?include=archived (or with purchasedFrom/purchasedTo) lists them with the live ones, filtered, searched and paged.",
      request: { params: monthParams },
      responses: {
        200: { description: "The month's orders.", content: json(archiveMonthSchema) },
        ...errorResponses(400),
      },
    },
    {
      method: "get",
      path: "/archive/{month}/documents",
      operationId: "getArchiveMonthDocuments",
      tags: ["Orders"],
      summary: "A month's archived orders as the app stores them",
      description:
        "For Consign's own app, which searches the archive offline: each order as the live document holds it. Integrations should read GET /archive/{month} or GET /orders?include=archived, whose shape is the one documented.",
      request: { params: monthParams },
      responses: {
        200: { description: "The month's orders, stored form.", content: json(archiveMonthDocumentsSchema) },
        ...errorResponses(400),
      },
    },
  ];
  for (const route of paths) api.openAPIRegistry.registerPath(route);
}
