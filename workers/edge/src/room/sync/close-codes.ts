// Close codes the room uses. 4400–4499 tell y-websocket's WebsocketProvider not to reconnect.

export const CloseCode = {
  /** Garbage, a truncated message or an update that does not apply. */
  Malformed: { code: 4400, reason: "malformed message" },
  /** Session revoked: sign in again. */
  Revoked: { code: 4401, reason: "session revoked" },
  /** A viewer sent an edit. */
  ViewerCannotEdit: { code: 4403, reason: "viewer cannot edit" },
  /** A packer's device wrote what only the owner may (shared settings), or anyone wrote the room's own keys. */
  RoleCannotEdit: { code: 4403, reason: "your role cannot change this part of the document" },
  /** The device holds an older generation of the document: reload it (see @consign/sync rebase). */
  GenerationChanged: { code: 4409, reason: "document generation changed: reload" },
  /** Awareness state over its limit, or a message above production's 1 MiB. */
  TooLarge: { code: 4413, reason: "message too large" },
} as const;
