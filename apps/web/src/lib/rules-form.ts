// Shipping rules as the editor holds them (one text per input) and back to the domain's rule shape.

import type { ShippingRuleInput } from "@consign/domain";

export interface RuleForm {
  id: string;
  name: string;
  enabled: boolean;
  weightMin: string;
  weightMax: string;
  countries: string;
  postcodeAreas: string;
  prime: "" | "yes" | "no";
  shipServiceLevels: string;
  skuPrefixes: string;
  courier: string;
  serviceCode: string;
  format: string;
}

const list = (s: string) =>
  s
    .split(/[,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const join = (xs: readonly string[] | undefined) => (xs ?? []).join(", ");

export function emptyRule(n: number): RuleForm {
  return {
    id: `rule-${n}-${Math.random().toString(36).slice(2, 7)}`,
    name: "",
    enabled: true,
    weightMin: "",
    weightMax: "",
    countries: "",
    postcodeAreas: "",
    prime: "",
    shipServiceLevels: "",
    skuPrefixes: "",
    courier: "royal-mail",
    serviceCode: "",
    format: "",
  };
}

export function toRule(f: RuleForm): ShippingRuleInput {
  const when: Record<string, unknown> = {};
  if (f.weightMin !== "" || f.weightMax !== "") {
    when.weightGrams = {
      ...(f.weightMin !== "" ? { min: Number(f.weightMin) } : {}),
      ...(f.weightMax !== "" ? { max: Number(f.weightMax) } : {}),
    };
  }
  if (list(f.countries).length) when.countries = list(f.countries);
  if (list(f.postcodeAreas).length) when.postcodeAreas = list(f.postcodeAreas);
  if (f.prime) when.prime = f.prime === "yes";
  if (f.shipServiceLevels.trim())
    when.shipServiceLevels = f.shipServiceLevels
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (list(f.skuPrefixes).length) when.skuPrefixes = list(f.skuPrefixes);
  return {
    id: f.id,
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
    enabled: f.enabled,
    when,
    use: {
      courier: f.courier as ShippingRuleInput["use"]["courier"],
      serviceCode: f.serviceCode,
      ...(f.format ? { format: f.format as NonNullable<ShippingRuleInput["use"]["format"]> } : {}),
    },
  } as ShippingRuleInput;
}

export function fromRule(r: ShippingRuleInput): RuleForm {
  const w = r.when ?? {};
  return {
    id: r.id,
    name: r.name ?? "",
    enabled: r.enabled ?? true,
    weightMin: w.weightGrams?.min?.toString() ?? "",
    weightMax: w.weightGrams?.max?.toString() ?? "",
    countries: join(w.countries),
    postcodeAreas: join(w.postcodeAreas),
    prime: w.prime === undefined ? "" : w.prime ? "yes" : "no",
    shipServiceLevels: join(w.shipServiceLevels),
    skuPrefixes: join(w.skuPrefixes),
    courier: r.use?.courier ?? "royal-mail",
    serviceCode: r.use?.serviceCode ?? "",
    format: r.use?.format ?? "",
  };
}

/** Which editor input a validation path belongs to, e.g. "rules.2.when.weightGrams.min" → [2, "weightMin"]. */
export function fieldOfPath(path: string): [number, keyof RuleForm] | null {
  const m = /^rules\.(\d+)\.(.+)$/.exec(path);
  if (!m) return null;
  const index = Number(m[1]);
  const rest = m[2]!;
  const map: [RegExp, keyof RuleForm][] = [
    [/^when\.weightGrams\.max/, "weightMax"],
    [/^when\.weightGrams/, "weightMin"],
    [/^when\.countries/, "countries"],
    [/^when\.postcodeAreas/, "postcodeAreas"],
    [/^when\.prime/, "prime"],
    [/^when\.shipServiceLevels/, "shipServiceLevels"],
    [/^when\.skuPrefixes/, "skuPrefixes"],
    [/^use\.courier/, "courier"],
    [/^use\.serviceCode/, "serviceCode"],
    [/^use\.format/, "format"],
    [/^id/, "id"],
    [/^name/, "name"],
  ];
  for (const [re, field] of map) if (re.test(rest)) return [index, field];
  return [index, "name"];
}
