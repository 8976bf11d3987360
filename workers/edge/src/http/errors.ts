// One error shape across every route: {error:{code, message, fields}}.
import { ConsignError, ErrorCode, type FieldError } from "@consign/domain";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

export function errorBody(code: ErrorCode, message: string, fields: FieldError[] = []) {
  return { error: { code, message, fields } };
}

export function fieldsOf(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
}

export function onError(err: Error, c: Context): Response {
  if (err instanceof ConsignError) {
    const headers: Record<string, string> = {};
    if (err.retryAfterSeconds !== undefined) headers["Retry-After"] = String(err.retryAfterSeconds);
    return c.json(err.toJSON(), err.status as 400, headers);
  }
  if (err instanceof HTTPException) {
    const code = err.status === 401 ? ErrorCode.Unauthenticated : ErrorCode.BadRequest;
    return c.json(errorBody(code, err.message || "Bad request"), err.status);
  }
  console.error("unhandled error", err);
  return c.json(errorBody(ErrorCode.Internal, "Something went wrong on our side; it has been logged."), 500);
}

export function notFound(c: Context): Response {
  return c.json(
    errorBody(ErrorCode.NotFound, `No route for ${c.req.method} ${new URL(c.req.url).pathname}`),
    404,
  );
}
