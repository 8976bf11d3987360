// Amazon SQS in the sandbox, speaking the JSON 1.0 protocol the official SDK uses (POST with
// `X-Amz-Target: AmazonSQS.<Action>` and `application/x-amz-json-1.0`), every request checked for a
// valid SigV4 signature (service `sqs`) with the sandbox's AWS credentials. Errors come as AWS sends
// them: `{__type, message}` with `x-amzn-query-error`. The queue itself lives in the sandbox object
// named `sqs:<queue name>` (queue.ts).

import type { SandboxEnv } from "../env.ts";
import type { Json } from "./api.ts";
import { DEFAULT_VISIBILITY_S, type QueueFaults } from "./queue.ts";
import { verifySigV4 } from "./sigv4.ts";

export const SANDBOX_AWS_ACCOUNT = "123456789012";
export const SANDBOX_AWS_REGION = "eu-west-1";

export function awsCredentials(env: SandboxEnv) {
  return {
    accessKeyId: env.SANDBOX_AWS_ACCESS_KEY_ID ?? "AKIACONSIGNSANDBOX01",
    secretAccessKey: env.SANDBOX_AWS_SECRET_ACCESS_KEY ?? "consign-sandbox-aws-secret-access-key",
  };
}

export const queueObject = (env: SandboxEnv, name: string) =>
  env.AMAZON_SELLER.get(env.AMAZON_SELLER.idFromName(`sqs:${name}`));

export const queueArn = (name: string) => `arn:aws:sqs:${SANDBOX_AWS_REGION}:${SANDBOX_AWS_ACCOUNT}:${name}`;

/** The queue name an ARN names, when it is one of the sandbox's. */
export function queueNameOfArn(arn: string): string | undefined {
  const m = /^arn:aws:sqs:([^:]+):(\d{12}):([A-Za-z0-9_-]{1,80})$/.exec(arn);
  return m && m[2] === SANDBOX_AWS_ACCOUNT ? m[3] : undefined;
}

function awsError(status: number, type: string, message: string, query: string): Response {
  return new Response(JSON.stringify({ __type: `com.amazonaws.sqs#${type}`, message }), {
    status,
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amzn-query-error": `${query};${status >= 500 ? "Receiver" : "Sender"}`,
      "x-amzn-RequestId": crypto.randomUUID(),
    },
  });
}

const ok = (body: unknown) =>
  new Response(typeof body === "string" ? body : JSON.stringify(body), {
    status: 200,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-RequestId": crypto.randomUUID() },
  });

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

function queueNameOf(url: unknown): string | undefined {
  if (typeof url !== "string") return undefined;
  try {
    const parts = new URL(url).pathname.split("/").filter(Boolean);
    const name = parts[parts.length - 1];
    return name && QUEUE_NAME.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Handles one SQS JSON 1.0 request (the caller has matched `X-Amz-Target: AmazonSQS.*`). */
export async function sqsRequest(request: Request, env: SandboxEnv): Promise<Response> {
  const body = new Uint8Array(await request.arrayBuffer());
  const target = request.headers.get("x-amz-target") ?? "";
  const action = target.replace(/^AmazonSQS\./, "");
  const verdict = await verifySigV4(request, body, "sqs", [awsCredentials(env)], Date.now());
  if (!verdict.ok) {
    return new Response(
      JSON.stringify({ __type: `com.amazon.coral.service#${verdict.type}`, message: verdict.message }),
      {
        status: verdict.status,
        headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-RequestId": crypto.randomUUID() },
      },
    );
  }
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(new TextDecoder().decode(body) || "{}") as Record<string, unknown>;
  } catch {
    return awsError(400, "InvalidParameterValue", "The request body is not JSON.", "InvalidParameterValue");
  }
  // The queue URL on the host the caller reached (the SDK sends later calls to it).
  const url = new URL(request.url);
  const origin = `${url.protocol}//${request.headers.get("host") ?? url.host}`;
  const urlOf = (name: string) => `${origin}/sqs/${SANDBOX_AWS_ACCOUNT}/${name}`;

  if (action === "CreateQueue" || action === "GetQueueUrl") {
    const name = input.QueueName;
    if (typeof name !== "string" || !QUEUE_NAME.test(name)) {
      return awsError(
        400,
        "InvalidParameterValue",
        "QueueName must be 1-80 letters, digits, '-' or '_'.",
        "InvalidParameterValue",
      );
    }
    const q = queueObject(env, name);
    if (action === "CreateQueue") await q.sqsCreate(name);
    else if (!(await q.sqsExists())) {
      return awsError(
        400,
        "QueueDoesNotExist",
        "The specified queue does not exist.",
        "AWS.SimpleQueueService.NonExistentQueue",
      );
    }
    return ok({ QueueUrl: urlOf(name) });
  }

  const name = queueNameOf(input.QueueUrl);
  if (!name)
    return awsError(
      400,
      "InvalidAddress",
      "The address QueueUrl is not valid for this endpoint.",
      "InvalidAddress",
    );
  const q = queueObject(env, name);
  const answer = await q.sqsCall(action, input);
  if (answer.error)
    return awsError(answer.status, answer.error.type, answer.error.message, answer.error.query);
  return ok(answer.body ?? "{}");
}

/** What crosses the queue object's RPC boundary: the body as JSON text. */
export type SqsReply = {
  status: number;
  body?: string;
  error?: { type: string; message: string; query: string };
};

export type SqsAnswer = {
  status: number;
  body?: Json;
  error?: { type: string; message: string; query: string };
};

export const sqsFail = (status: number, type: string, message: string, query = type): SqsAnswer => ({
  status,
  error: { type, message, query },
});

/** Validation of the numbers SQS bounds (MaxNumberOfMessages 1-10, WaitTimeSeconds 0-20, …). */
export function bounded(
  v: unknown,
  name: string,
  min: number,
  max: number,
  dflt: number,
): number | SqsAnswer {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    return sqsFail(
      400,
      "InvalidParameterValue",
      `Value ${String(v)} for parameter ${name} is invalid. Reason: must be between ${min} and ${max}.`,
    );
  }
  return v;
}

export { DEFAULT_VISIBILITY_S, type QueueFaults };
