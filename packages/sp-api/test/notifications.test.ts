// ORDER_CHANGE end to end on Amazon's side of the wire: the sandbox's Notifications API (grantless
// destination, per-seller subscription) and its SQS queue, driven by the official
// @aws-sdk/client-sqs unchanged (JSON 1.0, SigV4) over real HTTP; every message validated against
// Amazon's OrderChangeNotification schema. Runs the bundled sandbox in Miniflare.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import Ajv from "ajv";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { socketFront, startSandbox } from "./sandbox.ts";

const here = dirname(fileURLToPath(import.meta.url));
const schemaFile = join(
  here,
  "..",
  "..",
  "..",
  "..",
  "shared",
  "specs",
  "sp-api",
  "OrderChangeNotification.json",
);
const haveSchema = existsSync(schemaFile);

const CLIENT_ID = "amzn1.application-oa2-client.consignsandbox";
const CLIENT_SECRET = "sandbox-client-secret";
const AWS = { accessKeyId: "AKIACONSIGNSANDBOX01", secretAccessKey: "consign-sandbox-aws-secret-access-key" };

describe.skipIf(!haveSchema)("ORDER_CHANGE through the sandbox's Notifications API and SQS queue", () => {
  let mf: Miniflare;
  let front: Awaited<ReturnType<typeof socketFront>>;
  let origin: string;
  let sqs: SQSClient;
  let validate: (v: unknown) => string[];

  beforeAll(async () => {
    mf = startSandbox("http://127.0.0.1:8788");
    front = await socketFront((await mf.ready).origin);
    origin = front.origin;
    sqs = new SQSClient({ region: "eu-west-1", endpoint: origin, credentials: AWS, maxAttempts: 1 });
    const ajv = new Ajv({ strict: false, allErrors: true });
    const check = ajv.compile(JSON.parse(readFileSync(schemaFile, "utf8")) as object);
    validate = (v) => (check(v) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
  }, 120_000);

  afterAll(async () => {
    sqs?.destroy();
    await front?.close();
    await mf?.dispose();
  });

  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${origin}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const lwa = async (form: Record<string, string>) =>
    (await (
      await fetch(`${origin}/auth/o2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ...form, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
      })
    ).json()) as { access_token: string; error?: string };

  async function sellerToken(seller: string): Promise<string> {
    await post(`/_sandbox/amazon/sellers/${seller}/seed`, { orders: 5, historyDays: 5, arrivalsPerHour: 0 });
    const consent = await fetch(
      `${origin}/apps/authorize/consent?application_id=a&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb&auto=1&sandbox_seller=${seller}`,
      { redirect: "manual" },
    );
    const code = new URL(consent.headers.get("location") as string).searchParams.get("spapi_oauth_code");
    return (await lwa({ grant_type: "authorization_code", code: code as string })).access_token;
  }

  const receive = async (queueUrl: string, wait: number, visibility = 30) =>
    (
      await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: wait,
          VisibilityTimeout: visibility,
          MessageSystemAttributeNames: ["All"],
        }),
      )
    ).Messages ?? [];

  const payloadOf = (m: Message) =>
    JSON.parse(m.Body as string) as {
      NotificationMetadata: { NotificationId: string; SubscriptionId: string };
      Payload: {
        OrderChangeNotification: {
          SellerId: string;
          AmazonOrderId: string;
          OrderChangeType: string;
          Summary: { OrderStatus: string; OrderItems: { IsBuyerRequestedCancel?: boolean }[] };
        };
      };
    };

  it("refuses SQS requests with a wrong signature, as AWS does", async () => {
    const forged = new SQSClient({
      region: "eu-west-1",
      endpoint: origin,
      credentials: { ...AWS, secretAccessKey: "not-the-secret" },
      maxAttempts: 1,
    });
    const err = (await forged.send(new CreateQueueCommand({ QueueName: "forged" })).catch((e) => e)) as Error;
    forged.destroy();
    expect(err.name).toBe("SignatureDoesNotMatch");
    const unknownKey = new SQSClient({
      region: "eu-west-1",
      endpoint: origin,
      credentials: { accessKeyId: "AKIAUNKNOWN", secretAccessKey: "x" },
      maxAttempts: 1,
    });
    const err2 = (await unknownKey
      .send(new CreateQueueCommand({ QueueName: "forged" }))
      .catch((e) => e)) as Error;
    unknownKey.destroy();
    expect(err2.name).toBe("InvalidClientTokenId");
  });

  it("delivers a new order, redelivers it until deleted, and a buyer's cancellation request", async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "consign-order-change" }));
    const queueUrl = QueueUrl as string;

    // The application's destination, with a grantless token (a seller token is refused there).
    const grantless = await lwa({
      grant_type: "client_credentials",
      scope: "sellingpartnerapi::notifications",
    });
    expect(grantless.access_token).toMatch(/^Atc\|/);
    const g = { "x-amz-access-token": grantless.access_token };
    const arn = "arn:aws:sqs:eu-west-1:123456789012:consign-order-change";
    const dest = await post(
      "/notifications/v1/destinations",
      { name: "consign", resourceSpecification: { sqs: { arn } } },
      g,
    );
    expect(dest.status).toBe(200);
    const destinationId = (dest.body.payload as { destinationId: string }).destinationId;
    expect(
      (
        await post(
          "/notifications/v1/destinations",
          { name: "again", resourceSpecification: { sqs: { arn } } },
          g,
        )
      ).status,
    ).toBe(409);

    // The seller's subscription, with the seller's token.
    const seller = "ANOTIFY1";
    const token = await sellerToken(seller);
    const asSeller = { "x-amz-access-token": token };
    expect(
      (
        await post(
          "/notifications/v1/destinations",
          { name: "x", resourceSpecification: { sqs: { arn } } },
          asSeller,
        )
      ).status,
    ).toBe(403);
    const sub = await post(
      "/notifications/v1/subscriptions/ORDER_CHANGE",
      { payloadVersion: "1.0", destinationId },
      asSeller,
    );
    expect(sub.status).toBe(200);
    const subscriptionId = (sub.body.payload as { subscriptionId: string }).subscriptionId;
    expect(
      (
        await post(
          "/notifications/v1/subscriptions/ORDER_CHANGE",
          { payloadVersion: "1.0", destinationId },
          asSeller,
        )
      ).status,
    ).toBe(409);

    // A buyer places an order: ORDER_CHANGE arrives on the queue, valid against Amazon's schema.
    const placed = await post(`/_sandbox/amazon/sellers/${seller}/orders`, {});
    expect(placed.status).toBe(201);
    const first = await receive(queueUrl, 5, 1);
    expect(first).toHaveLength(1);
    const msg = first[0] as Message;
    expect(validate(JSON.parse(msg.Body as string))).toEqual([]);
    const p = payloadOf(msg);
    expect(p.Payload.OrderChangeNotification).toMatchObject({
      SellerId: seller,
      AmazonOrderId: placed.body.orderId,
      OrderChangeType: "OrderStatusChange",
    });
    expect(p.NotificationMetadata).toMatchObject({
      NotificationId: placed.body.notificationId,
      SubscriptionId: subscriptionId,
    });

    // Not deleted: after its visibility timeout it comes again, counted.
    await new Promise((r) => setTimeout(r, 1_200));
    const again = await receive(queueUrl, 5);
    expect(again.map((m) => m.MessageId)).toEqual([msg.MessageId]);
    expect(again[0]?.Attributes?.ApproximateReceiveCount).toBe("2");
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: again[0]?.ReceiptHandle }));
    expect(await receive(queueUrl, 1)).toEqual([]);

    // A duplicate switch: the cancellation request arrives twice with one NotificationId.
    await fetch(`${origin}/_sandbox/sqs/queues/consign-order-change/faults`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ duplicates: 1 }),
    });
    const cancel = await post(
      `/_sandbox/amazon/sellers/${seller}/orders/${placed.body.orderId}/cancel-request`,
      {},
    );
    expect(cancel.status).toBe(200);
    const twice = await receive(queueUrl, 5);
    expect(twice).toHaveLength(2);
    for (const m of twice) {
      expect(validate(JSON.parse(m.Body as string))).toEqual([]);
      const n = payloadOf(m);
      expect(n.NotificationMetadata.NotificationId).toBe(cancel.body.notificationId);
      expect(n.Payload.OrderChangeNotification.OrderChangeType).toBe("BuyerRequestedChange");
      expect(n.Payload.OrderChangeNotification.Summary.OrderItems[0]?.IsBuyerRequestedCancel).toBe(true);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }

    // An outage switch: the next call fails with AWS's 500.
    await fetch(`${origin}/_sandbox/sqs/queues/consign-order-change/faults`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ outage: 1 }),
    });
    const down = (await receive(queueUrl, 0).catch((e) => e)) as Error & {
      $metadata?: { httpStatusCode?: number };
    };
    expect(down.$metadata?.httpStatusCode).toBe(500);
    expect(await receive(queueUrl, 0)).toEqual([]);

    // The subscription goes with a grantless deleteSubscriptionById.
    const del = await fetch(`${origin}/notifications/v1/subscriptions/ORDER_CHANGE/${subscriptionId}`, {
      method: "DELETE",
      headers: g,
    });
    expect(del.status).toBe(200);
    const gone = await fetch(`${origin}/notifications/v1/subscriptions/ORDER_CHANGE`, { headers: asSeller });
    expect(gone.status).toBe(404);
  }, 90_000);
});
