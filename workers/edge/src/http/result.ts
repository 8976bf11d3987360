// Durable Object RPC carries values, not error classes: expected failures cross the boundary as
// a Result and become a ConsignError again on the caller's side.
import { ConsignError, type ErrorCode, type FieldError } from "@consign/domain";

export interface WireError {
  code: ErrorCode;
  message: string;
  fields: FieldError[];
  retryAfterSeconds?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

export async function capture<T>(fn: () => T | Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof ConsignError) {
      const error: WireError = { code: e.code, message: e.message, fields: e.fields };
      if (e.retryAfterSeconds !== undefined) error.retryAfterSeconds = e.retryAfterSeconds;
      return { ok: false, error };
    }
    throw e;
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  const { code, message, fields, retryAfterSeconds } = result.error;
  throw new ConsignError(code, message, fields, retryAfterSeconds);
}
