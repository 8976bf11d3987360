// Shipping rules as a seller writes them, validated at the boundary with zod.
// A rule reads "when <conditions> use <courier, service, format>" (not "then": an object with a `then`
// property looks like a promise to `await`). Conditions are all optional; every one given must hold (AND).
// Lists inside a condition are alternatives (OR): countries ["GB","IE"] means "to GB or IE".

import { z } from "zod";
import { ConsignError, ErrorCode, type FieldError } from "../errors.ts";
import { boundedString, LIST_LIMIT, TEXT_LIMITS } from "../limits.ts";
import { serviceProblem } from "./services.ts";

const courierIds = ["royal-mail", "evri", "dpd", "amazon-shipping"] as const;
const packageFormats = ["letter", "large-letter", "small-parcel", "medium-parcel", "large-parcel"] as const;

const range = z
  .strictObject({
    min: z.number().nonnegative().optional(),
    max: z.number().nonnegative().optional(),
  })
  .refine((r) => r.min !== undefined || r.max !== undefined, { message: "give min, max or both" })
  .refine((r) => r.min === undefined || r.max === undefined || r.min <= r.max, {
    message: "min must not exceed max",
    path: ["min"],
  });

const nonEmptyList = (item: z.ZodString) =>
  z.array(item).min(1, "give at least one value").max(LIST_LIMIT, `at most ${LIST_LIMIT} values`);
/** A code, SKU or id: bounded like every text a seller sends. */
const code = () => boundedString(TEXT_LIMITS.short).trim();

/** A UK postcode area ("BT", "IV", "HS") or district ("PA20", "KW15"). */
const postcodePrefix = code()
  .toUpperCase()
  .regex(/^[A-Z]{1,2}(\d{1,2}[A-Z]?)?$/, "use a postcode area like BT or a district like PA20");

export const ruleConditionsSchema = z.strictObject({
  weightGrams: range.optional(),
  /** The parcel must fit a box of these sides (any orientation), in millimetres. */
  fitsWithinMm: z
    .strictObject({
      length: z.number().positive(),
      width: z.number().positive(),
      height: z.number().positive(),
    })
    .optional(),
  countries: nonEmptyList(
    code()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "use a two-letter country code like GB"),
  ).optional(),
  notCountries: nonEmptyList(
    code()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, "use a two-letter country code like GB"),
  ).optional(),
  postcodeAreas: nonEmptyList(postcodePrefix).optional(),
  notPostcodeAreas: nonEmptyList(postcodePrefix).optional(),
  prime: z.boolean().optional(),
  shipServiceLevels: nonEmptyList(code().min(1)).optional(),
  /** Any item's SKU is one of these. */
  skus: nonEmptyList(code().min(1)).optional(),
  /** Any item's SKU starts with one of these. */
  skuPrefixes: nonEmptyList(code().min(1)).optional(),
  /** Order total in pounds. */
  orderValue: range.optional(),
  /** Total quantity ordered across items. */
  itemCount: range.optional(),
});

export const shippingRuleSchema = z
  .strictObject({
    id: code().min(1, "a rule needs an id"),
    name: boundedString(TEXT_LIMITS.name).trim().min(1).optional(),
    enabled: z.boolean().default(true),
    when: ruleConditionsSchema,
    use: z.strictObject({
      courier: z.enum(courierIds, { message: `courier must be one of ${courierIds.join(", ")}` }),
      serviceCode: code().min(1, "give the courier's service code, e.g. TPN24"),
      format: z.enum(packageFormats).optional(),
    }),
  })
  .superRefine((rule, ctx) => {
    const problem = serviceProblem(rule.use.courier, rule.use.serviceCode, rule.use.format);
    if (problem) ctx.addIssue({ code: "custom", path: ["use", problem.field], message: problem.message });
  });

export const shippingRulesSchema = z
  .array(shippingRuleSchema)
  .max(LIST_LIMIT, `at most ${LIST_LIMIT} rules`)
  .superRefine((rules, ctx) => {
    const seen = new Map<string, number>();
    rules.forEach((rule, index) => {
      const first = seen.get(rule.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [index, "id"],
          message: `id "${rule.id}" is already used by rule ${first + 1}`,
        });
      } else seen.set(rule.id, index);
    });
  });

export type ShippingRuleInput = z.input<typeof shippingRuleSchema>;
export type ShippingRule = z.output<typeof shippingRuleSchema>;
export type RuleConditions = ShippingRule["when"];

export type RulesValidation = { ok: true; rules: ShippingRule[] } | { ok: false; errors: FieldError[] };

/** Validates a list of rules; each error names the field at fault, e.g. "rules.2.when.weightGrams.min". */
export function validateRules(input: unknown): RulesValidation {
  const parsed = shippingRulesSchema.safeParse(input);
  if (parsed.success) return { ok: true, rules: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => ({
      path: ["rules", ...issue.path.map(String)].join("."),
      message: issue.message,
    })),
  };
}

/** Validates a list of rules or throws a bad_request ConsignError listing every field at fault. */
export function parseRules(input: unknown): ShippingRule[] {
  const v = validateRules(input);
  if (v.ok) return v.rules;
  const first = v.errors[0];
  const more = v.errors.length > 1 ? ` (and ${v.errors.length - 1} more)` : "";
  throw new ConsignError(
    ErrorCode.BadRequest,
    `The shipping rules are not valid: ${first?.path}: ${first?.message}${more}.`,
    v.errors,
  );
}
