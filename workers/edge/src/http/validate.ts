// Request validation that answers in our error shape, with the fields at fault.
import { ErrorCode } from "@consign/domain";
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { ZodType } from "zod";
import { errorBody, fieldsOf } from "./errors.ts";

export function valid<T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result, c) => {
    if (!result.success) {
      return c.json(
        errorBody(ErrorCode.BadRequest, "Some fields are not valid.", fieldsOf(result.error)),
        400,
      );
    }
  });
}
