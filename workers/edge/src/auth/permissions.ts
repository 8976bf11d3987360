// Who may do what. Pure: tested beside this file.

export const roles = ["owner", "packer", "viewer"] as const;
export type Role = (typeof roles)[number];

/**
 * read:   see orders, metrics, team presence
 * work:   pick, pack, buy and print labels, dispatch, edit the shared document
 * manage: connect Amazon and couriers, team, settings, API keys, webhooks
 */
export type Capability = "read" | "work" | "manage";

const grants: Record<Role, ReadonlySet<Capability>> = {
  owner: new Set(["read", "work", "manage"]),
  packer: new Set(["read", "work"]),
  viewer: new Set(["read"]),
};

export function can(role: Role, capability: Capability): boolean {
  return grants[role].has(capability);
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}
