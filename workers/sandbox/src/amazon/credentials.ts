// Sandbox credentials carry the selling partner's id, so the front Worker can route each call to the
// seller's Durable Object: `Atzr|<id>|…` refresh tokens, `Atza|<id>|…` access tokens (the prefixes
// Amazon uses), `Atz.sprdt|<id>|…` Restricted Data Tokens and `ANsbx|<id>|…` authorization codes.

export const PREFIX = { code: "ANsbx", refresh: "Atzr", access: "Atza", rdt: "Atz.sprdt" } as const;

const SELLER_ID = /^[A-Za-z0-9_-]{3,40}$/;

export function isSellerId(id: string): boolean {
  return SELLER_ID.test(id);
}

export function newCredential(kind: keyof typeof PREFIX, sellerId: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const rand = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return `${PREFIX[kind]}|${sellerId}|${rand}`;
}

/** The selling partner a credential belongs to, or undefined when it is not one of ours. */
export function sellerOf(token: string | null | undefined): string | undefined {
  if (!token) return undefined;
  const parts = token.split("|");
  if (parts.length !== 3) return undefined;
  const id = parts[1] as string;
  return isSellerId(id) ? id : undefined;
}

export interface RdtScope {
  resources: { method: string; path: string; dataElements?: string[] }[];
}

/** Whether an RDT scope covers this call, and which personal data it opens. */
export function rdtCovers(
  scope: RdtScope,
  method: string,
  path: string,
): { buyer: boolean; address: boolean } | null {
  for (const r of scope.resources) {
    if (r.method !== method) continue;
    const pattern = new RegExp(
      `^${r.path
        .split("/")
        .map((seg) => (/^\{.+\}$/.test(seg) ? "[^/]+" : seg.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
        .join("/")}$`,
    );
    if (!pattern.test(path)) continue;
    const elements = r.dataElements;
    if (!elements || elements.length === 0) return { buyer: true, address: true };
    return { buyer: elements.includes("buyerInfo"), address: elements.includes("shippingAddress") };
  }
  return null;
}
