// AWS Signature Version 4, checked the way AWS checks it: the canonical request is rebuilt from what
// arrived (method, path, query, the signed headers, the body's SHA-256), signed with the secret
// derived for the credential's date, region and service, and compared with the signature sent.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

const enc = new TextEncoder();

async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? enc.encode(data) : data;
  return hex(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)));
}

async function hmac(key: Uint8Array, data: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, enc.encode(data)));
}

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");

/** RFC 3986 encoding as SigV4 wants it (unreserved characters kept, everything else %XX). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(url: URL): string {
  const pairs = [...url.searchParams].map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function canonicalPath(path: string): string {
  const segments = path.split("/").map((s) => uriEncode(decodeURIComponent(s)));
  return segments.join("/") || "/";
}

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type SigV4Verdict =
  | { ok: true; accessKeyId: string; region: string }
  | { ok: false; status: 400 | 403; type: string; message: string };

/** Checks a request's SigV4 Authorization header for `service` against the known credentials. */
export async function verifySigV4(
  request: Request,
  body: Uint8Array,
  service: string,
  known: SigV4Credentials[],
  now: number,
): Promise<SigV4Verdict> {
  const auth = request.headers.get("authorization") ?? "";
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(
      auth.trim(),
    );
  if (!m) {
    return {
      ok: false,
      status: 403,
      type: "MissingAuthenticationTokenException",
      message: "Request is missing Authentication Token",
    };
  }
  const [, keyId, date, region, svc, signedHeaderList, signature] = m as unknown as string[];
  const cred = known.find((k) => k.accessKeyId === keyId);
  if (!cred) {
    return {
      ok: false,
      status: 403,
      type: "InvalidClientTokenId",
      message: "The security token included in the request is invalid.",
    };
  }
  if (svc !== service) {
    return {
      ok: false,
      status: 403,
      type: "SignatureDoesNotMatch",
      message: `Credential should be scoped to correct service: '${service}'.`,
    };
  }
  const amzDate = request.headers.get("x-amz-date") ?? "";
  const at = Date.parse(
    amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
  );
  if (Number.isNaN(at) || !amzDate.startsWith(date as string)) {
    return {
      ok: false,
      status: 400,
      type: "IncompleteSignatureException",
      message: "X-Amz-Date is missing or does not match the credential scope.",
    };
  }
  if (Math.abs(now - at) > 15 * 60_000) {
    return {
      ok: false,
      status: 403,
      type: "SignatureDoesNotMatch",
      message: "Signature expired: the request time is more than 15 minutes from the server time.",
    };
  }
  const signed = (signedHeaderList as string).split(";");
  if (!signed.includes("host")) {
    return {
      ok: false,
      status: 403,
      type: "SignatureDoesNotMatch",
      message: "The host header must be signed.",
    };
  }
  const url = new URL(request.url);
  const headerValue = (name: string) =>
    name === "host" ? (request.headers.get("host") ?? url.host) : (request.headers.get(name) ?? "");
  const canonicalHeaders = signed.map((h) => `${h}:${headerValue(h).trim().replace(/\s+/g, " ")}\n`).join("");
  const payloadHash = request.headers.get("x-amz-content-sha256") ?? (await sha256Hex(body));
  const canonicalRequest = [
    request.method,
    canonicalPath(url.pathname),
    canonicalQuery(url),
    canonicalHeaders,
    signedHeaderList,
    payloadHash,
  ].join("\n");
  const scope = `${date}/${region}/${svc}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, await sha256Hex(canonicalRequest)].join("\n");
  let key = await hmac(enc.encode(`AWS4${cred.secretAccessKey}`), date as string);
  for (const part of [region as string, svc as string, "aws4_request"]) key = await hmac(key, part);
  const expected = hex(await hmac(key, stringToSign));
  if (expected !== signature) {
    return {
      ok: false,
      status: 403,
      type: "SignatureDoesNotMatch",
      message:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.",
    };
  }
  return { ok: true, accessKeyId: keyId as string, region: region as string };
}
