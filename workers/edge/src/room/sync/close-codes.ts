// Close codes the room uses. 4400–4499 tell y-websocket's WebsocketProvider not to reconnect.

export const CloseCode = {
  /** Garbage, a truncated message or an update that does not apply. */
  Malformed: { code: 4400, reason: "malformed message" },
  /** Session revoked: sign in again. */
  Revoked: { code: 4401, reason: "session revoked" },
  /** A viewer sent an edit. */
  ViewerCannotEdit: { code: 4403, reason: "viewer cannot edit" },
  /** An API key sent an edit: keys read the live document; they change orders through /api/v1. */
  ApiKeyReadOnly: {
    code: 4403,
    reason: "API keys only read the live document: change orders through /api/v1",
  },
  /**
   * A device wrote what its role may not (the owner's settings, the room's or Amazon's fields).
   * The room's close names the key, e.g. "a packer may not change Amazon's order (…) (orders/203-…): it is the room's".
   */
  RoleCannotEdit: { code: 4403, reason: "your role cannot change this part of the document" },
  /** A key that is not part of the document (see @consign/sync write-policy), or a value of the wrong kind. */
  UnknownKey: { code: 4422, reason: "not a key of the document" },
  /**
   * An app that speaks the generation protocol (it sends `gen`) but reads an older layout of the
   * document than the room holds (it sends no `layout`, or a lower one; @consign/sync layout.ts): it
   * would misread the orders, so it is told to reload (the new app comes with the reload).
   */
  AppOutdated: {
    code: 4426,
    reason: "this app is older than the team's document: reload the page to get the current one",
  },
  /** The device holds an older generation of the document: reload it (see @consign/sync rebase). */
  GenerationChanged: { code: 4409, reason: "document generation changed: reload" },
  /** Awareness state over its limit, a message above production's 1 MiB, or a value over its key's limit (the reason names both). */
  TooLarge: { code: 4413, reason: "message too large" },
} as const;
