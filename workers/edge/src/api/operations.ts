// Names for the operations of /api/v1 as an integrator's generated client calls them
// (`client.GET("/orders")` types, `listOrders()` in generators that use operationId), the tags that
// group them, and a description for operations whose route declares none. A route may still name
// its own operationId; one missing here gets a name made from its method and path.

export const API_TAGS: { name: string; description: string }[] = [
  {
    name: "Orders",
    description: "Orders, live and archived: filters, search, cursor pages and the change feed.",
  },
  { name: "Labels", description: "Buying labels in runs, downloading and voiding them." },
  { name: "Dispatch", description: "Marking orders dispatched and following Amazon's confirmation." },
  { name: "End of day", description: "Royal Mail manifests and the automatic close of the day." },
  { name: "Couriers", description: "Courier accounts, which couriers are down, and the day's spend." },
  {
    name: "Metrics",
    description: "Amazon's customer metrics as Consign computes them, and Amazon's own figures.",
  },
  { name: "Shipping rules", description: "The rules that choose a courier and service for each order." },
  { name: "Exports", description: "Orders and shipments as CSV files." },
  {
    name: "Stock",
    description: "Stock per SKU, what open orders hold, and the quantities pushed to Amazon.",
  },
  { name: "Settings", description: "The team's shared settings." },
  { name: "Amazon", description: "The seller's Amazon connection." },
  { name: "Team", description: "Members, invites and signed-in devices (owner only for changes)." },
  { name: "API keys", description: "Keys for integrations: created and revoked by the owner, shown once." },
  {
    name: "Webhooks",
    description: "Signed deliveries of every change (Standard Webhooks) and their delivery log.",
  },
];

interface Naming {
  operationId: string;
  description?: string;
}

/** Keyed by `METHOD /path` as the document writes paths. */
export const OPERATION_NAMES: Record<string, Naming> = {
  "GET /orders": { operationId: "listOrders" },
  "GET /orders/{orderId}": {
    operationId: "getOrder",
    description: "One order as every list shows it, wherever it is kept (live or archived).",
  },
  "GET /orders/{orderId}/confirmation": { operationId: "getConfirmation" },
  "PATCH /orders/{orderId}/shipping": { operationId: "setOrderShipping" },
  "PUT /orders/{orderId}/parcels": { operationId: "setOrderParcels" },
  "POST /orders/{orderId}/accept-cancellation": { operationId: "acceptCancellation" },
  "POST /labels/runs": { operationId: "buyLabels" },
  "GET /labels/runs/{runId}": {
    operationId: "getLabelRun",
    description: "How far a label run has got: each order's label, or why it has none yet.",
  },
  "GET /labels/runs/{runId}/labels.pdf": { operationId: "getLabelRunPdf" },
  "GET /orders/{orderId}/label": { operationId: "getLabel" },
  "POST /orders/{orderId}/void-label": { operationId: "voidLabel" },
  "POST /dispatch": { operationId: "dispatchOrders" },
  "POST /manifests": { operationId: "closeDay" },
  "GET /manifests": {
    operationId: "listManifests",
    description: "The latest Royal Mail manifests, newest first.",
  },
  "GET /manifests/{manifestId}": {
    operationId: "getManifest",
    description: "One manifest with the labels it holds and whether Royal Mail accepted it.",
  },
  "GET /manifests/{manifestId}/document": { operationId: "getManifestDocument" },
  "POST /manifests/{manifestId}/retry": { operationId: "retryManifest" },
  "GET /settings/courier-day": {
    operationId: "getCourierDaySettings",
    description: "When the day closes on its own, and for which couriers.",
  },
  "PATCH /settings/courier-day": { operationId: "updateCourierDaySettings" },
  "GET /couriers/health": { operationId: "getCourierHealth" },
  "POST /couriers/{courier}/up": { operationId: "markCourierUp" },
  "GET /spend": { operationId: "getSpend" },
  "GET /metrics": { operationId: "getMetrics" },
  "GET /rules": { operationId: "getRules", description: "The shipping rules in the order they are tried." },
  "PUT /rules": { operationId: "replaceRules" },
  "GET /exports/orders.csv": { operationId: "exportOrdersCsv" },
  "GET /exports/shipments.csv": { operationId: "exportShipmentsCsv" },
  "POST /webhooks": { operationId: "createWebhook" },
  "GET /webhooks": {
    operationId: "listWebhooks",
    description: "Owner only. Each endpoint with its events and whether deliveries are failing.",
  },
  "DELETE /webhooks/{id}": {
    operationId: "deleteWebhook",
    description: "Owner only. No further deliveries are made to it, retries included.",
  },
  "GET /webhooks/{id}/deliveries": { operationId: "listWebhookDeliveries" },
  "POST /webhooks/{id}/rotate-secret": { operationId: "rotateWebhookSecret" },
  "POST /webhooks/{id}/retry": { operationId: "retryWebhookDeliveries" },
  "POST /webhooks/{id}/messages/{messageId}/retry": { operationId: "retryWebhookDelivery" },
  "POST /orders/{orderId}/returns": { operationId: "createReturn" },
  "GET /returns": { operationId: "listReturns" },
  "GET /returns/{returnId}": {
    operationId: "getReturn",
    description:
      "One returns label: the order, the courier's return id, its tracking number and where the label is.",
  },
  "GET /returns/{returnId}/label": {
    operationId: "getReturnLabel",
    description:
      "The file to send the buyer: a PDF label to print, or a PNG QR code to show at an Evri ParcelShop.",
  },
  "POST /collections": { operationId: "bookCollection" },
  "GET /collections": { operationId: "listCollections" },
  "GET /collections/{collectionId}": {
    operationId: "getCollection",
    description: "The booking as the courier has it now (its window and status), read from the courier.",
  },
  "POST /collections/{collectionId}/cancel": {
    operationId: "cancelCollection",
    description: "Cancels the booking with the courier; the collection then shows as cancelled.",
  },
};

/** Descriptions for parameters whose schema gives none, by `in:name` (`id` differs by path). */
export function parameterDescription(path: string, where: string, name: string): string | undefined {
  if (path === "/collections" && where === "query" && name === "from")
    return "The first UK day to list, as YYYY-MM-DD; leave out for every day kept.";
  if (path === "/returns" && where === "query" && name === "orderId")
    return "Only this order's returns (Amazon's order id).";
  if (where === "path" && name === "id")
    return path.startsWith("/webhooks") ? "The webhook endpoint's id." : "The API key's id.";
  return PARAMETERS[`${where}:${name}`];
}

const PARAMETERS: Record<string, string> = {
  "path:orderId": "Amazon's order id, e.g. 202-1234567-1234567.",
  "path:runId": "The label run's id, as POST /labels/runs answered.",
  "path:manifestId": "The manifest's id, as POST /manifests or GET /manifests answered.",
  "path:courier": "The courier: royal-mail, amazon-shipping, dpd or evri.",
  "path:userId": "The team member's user id, from GET /team.",
  "path:sessionId": "The device's session id, from GET /team.",
  "path:month": "The month as yyyy-mm, e.g. 2026-10.",
  "path:returnId": "The return's id, as POST /orders/{orderId}/returns answered.",
  "path:collectionId": "The collection's id, as POST /collections answered.",
  "query:prime": "true: only Prime orders; false: only orders that are not Prime.",
  "query:limit": "How many to return at most in this page.",
  "query:cursor": "nextCursor from the previous page; leave out for the first page.",
};
