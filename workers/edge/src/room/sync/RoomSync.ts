// The seller's Yjs room: speaks the y-websocket protocol over hibernatable WebSockets, persists
// every update to SQLite before broadcasting it, and lets the server write through the same
// document (`transact`). The Durable Object only forwards its handlers here (see README.md).

import { ConsignError, ErrorCode } from "@consign/domain";
import {
  type AwarenessEntry,
  CURRENT_LAYOUT,
  checkWrite,
  documentGeneration,
  documentHealth,
  documentLayout,
  encodeAwarenessMessage,
  encodeSyncStep1,
  encodeSyncStep2Messages,
  encodeUpdateMessages,
  initialiseGeneration,
  MAP,
  MAX_MESSAGE_BYTES,
  metaMap,
  parseClientMessage,
  ROOM_RECORD_CACHE,
  rebaseDocument,
  setRecordCacheLimit,
  shouldRebase,
  type WriteRefusal,
  writesAnything,
} from "@consign/sync";
import * as Y from "yjs";
import { CloseCode } from "./close-codes.ts";
import {
  awarenessEntriesOf,
  type ConnectionAttachment,
  MAX_AWARENESS_CLIENTS_PER_SOCKET,
  MAX_AWARENESS_STATE_CHARS,
  readAttachment,
  writeAttachment,
} from "./connection.ts";
import { readIdentity, type SyncIdentity } from "./identity.ts";
import { SyncStore } from "./storage.ts";

// A room keeps few parsed order records (layout 2 stores each as a JSON string): its heap stays bounded
// however many orders the seller has open (@consign/sync records.ts).
setRecordCacheLimit(ROOM_RECORD_CACHE);

/** Cloudflare's limit on one incoming WebSocket message in production. */
export const INCOMING_MESSAGE_LIMIT = 1_048_576;

export interface RoomSyncOptions {
  /** Largest message the room sends; above it a sync or update is split. */
  maxMessageBytes?: number;
  /**
   * Largest message the room accepts from a device. Production refuses WebSocket messages above
   * 1 MiB while workerd locally accepts more: the room enforces the production limit itself, so a
   * device that would fail in production fails here too (devices split: @consign/sync
   * `splittingWebSocket`).
   */
  maxIncomingBytes?: number;
  /**
   * Compact the log into a snapshot past this many rows or bytes; the bytes grow with the snapshot
   * (`compactAfterSnapshotShare` of it), so filling a room rewrites its snapshot a bounded number of
   * times, not once every few MB (an import of 50,000 orders: a snapshot of tens of MB each time).
   */
  compactAfterRows?: number;
  compactAfterBytes?: number;
  /** The log may grow to this share of the snapshot's bytes before it is folded in (default ½). */
  compactAfterSnapshotShare?: number;
  /** New generation ids (tests pass a deterministic one). */
  newGeneration?: () => string;
  /** The room's clock, for when a device last wrote (the seller's room passes its own: simulated in the sim). */
  now?: () => number;
}

/** Origin of writes that came from a device's socket. */
export interface SocketOrigin {
  socket: WebSocket;
}

export class RoomSync {
  private readonly store: SyncStore;
  private current: Y.Doc | null = null;
  private readonly loadListeners: ((doc: Y.Doc) => void)[] = [];
  private readonly maxMessageBytes: number;
  private readonly maxIncomingBytes: number;
  private readonly compactAfterRows: number;
  private readonly compactAfterBytes: number;
  private readonly compactAfterSnapshotShare: number;
  private readonly newGeneration: () => string;
  private readonly now: () => number;
  /** When a device last wrote; until one does, when the room started (it cannot know what came before). */
  private lastWriteAt: number;

  constructor(
    private readonly ctx: DurableObjectState,
    options: RoomSyncOptions = {},
  ) {
    this.store = new SyncStore(ctx.storage);
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
    this.maxIncomingBytes = options.maxIncomingBytes ?? INCOMING_MESSAGE_LIMIT;
    this.compactAfterRows = options.compactAfterRows ?? 500;
    this.compactAfterBytes = options.compactAfterBytes ?? 4_000_000;
    this.compactAfterSnapshotShare = options.compactAfterSnapshotShare ?? 0.5;
    this.newGeneration = options.newGeneration ?? (() => crypto.randomUUID());
    this.now = options.now ?? Date.now;
    this.lastWriteAt = this.now();
  }

  /** The live document, loaded from storage on first use (synchronously: DO SQLite is synchronous). */
  get doc(): Y.Doc {
    if (this.current === null) {
      this.current = this.load();
      for (const listener of this.loadListeners) listener(this.current);
    }
    return this.current;
  }

  /**
   * Calls `listener` with each document the room loads or starts (first use, a reload after a
   * failed write, a rebase): what watches the document attaches there, so nothing needs to load
   * it eagerly and a request that never reads the document never pays for loading it.
   */
  onLoad(listener: (doc: Y.Doc) => void): void {
    this.loadListeners.push(listener);
    if (this.current !== null) listener(this.current);
  }

  get generation(): string {
    return documentGeneration(this.doc) ?? "";
  }

  private load(): Y.Doc {
    const doc = new Y.Doc();
    const { snapshot, updates } = this.store.load();
    doc.transact(() => {
      if (snapshot) Y.applyUpdate(doc, snapshot);
      for (const update of updates) Y.applyUpdate(doc, update);
    });
    // Every top-level map read once now: a document rebuilt from updates holds Yjs placeholders
    // until then, and a device's update should meet the maps themselves.
    for (const name of Object.values(MAP)) doc.getMap(name);
    if (documentGeneration(doc) === undefined) {
      const update = captureUpdate(doc, () => initialiseGeneration(doc, this.newGeneration(), "room"));
      if (update) this.store.append(update);
    }
    return doc;
  }

  // ── Upgrade ───────────────────────────────────────────────────────────────────────────────

  /** Accepts a WebSocket upgrade forwarded by the edge route; 400 without a verified identity. */
  fetch(request: Request): Response {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade (y-websocket).", { status: 426 });
    }
    const result = readIdentity(request);
    if (!result.ok) return new Response(result.reason, { status: 400 });
    const pair = new WebSocketPair();
    const client = pair[0];
    const server = pair[1];
    this.ctx.acceptWebSocket(server, [
      `user:${result.identity.userId}`,
      `session:${result.identity.sessionId}`,
    ]);
    writeAttachment(server, { identity: result.identity, awareness: {} });

    const params = new URL(request.url).searchParams;
    const deviceGeneration = params.get("gen") ?? "";
    if (deviceGeneration !== "" && deviceGeneration !== this.generation) {
      this.drop(server, CloseCode.GenerationChanged);
    } else if (params.has("gen") && Number(params.get("layout") ?? "1") < documentLayout(this.doc)) {
      this.drop(server, CloseCode.AppOutdated);
    } else {
      // Ask for what the device has that the room lacks (offline edits), and show who is here.
      server.send(encodeSyncStep1(this.doc));
      const present = this.presentEntries(server);
      if (present.length > 0) server.send(encodeAwarenessMessage(present));
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  // ── Messages ──────────────────────────────────────────────────────────────────────────────

  webSocketMessage(ws: WebSocket, message: ArrayBuffer | string): void {
    const attachment = readAttachment(ws);
    if (attachment === null || attachment.dropped) return;
    if (typeof message === "string") {
      this.drop(ws, CloseCode.Malformed);
      return;
    }
    if (message.byteLength > this.maxIncomingBytes) {
      this.drop(ws, CloseCode.TooLarge);
      return;
    }
    const parsed = parseClientMessage(new Uint8Array(message));
    if (!parsed.ok) {
      this.drop(ws, CloseCode.Malformed);
      return;
    }
    const m = parsed.message;
    switch (m.kind) {
      case "syncStep1":
        for (const part of encodeSyncStep2Messages(this.doc, m.stateVector, this.maxMessageBytes))
          ws.send(part);
        return;
      case "syncStep2":
      case "update":
        this.receiveUpdate(ws, attachment.identity, m.update);
        return;
      case "awareness":
        this.receiveAwareness(ws, attachment, m.entries);
        return;
      case "queryAwareness": {
        const present = this.presentEntries(null);
        if (present.length > 0) ws.send(encodeAwarenessMessage(present));
        return;
      }
    }
  }

  webSocketClose(ws: WebSocket, _code: number, _reason: string, _wasClean: boolean): void {
    this.drop(ws, null);
  }

  webSocketError(ws: WebSocket, _error: unknown): void {
    this.drop(ws, null);
  }

  private receiveUpdate(ws: WebSocket, identity: SyncIdentity, update: Uint8Array): void {
    if (!writesAnything(identity)) {
      // A read-only device's step 2 always carries its delete set: refuse only what would add content.
      if (!this.addsContent(update)) return;
      this.drop(ws, identity.kind === "api-key" ? CloseCode.ApiKeyReadOnly : CloseCode.ViewerCannotEdit);
      return;
    }
    // The check runs inside the transaction, after the update is integrated and before any
    // observer (the order watch, webhooks) sees it: a refusal throws there, and the document goes
    // back to what is stored. Nothing of a refused update is stored, broadcast or observed.
    let refusal: WriteRefusal | null = null;
    let staleCopy = false;
    const check = (tr: Y.Transaction) => {
      // Only the room writes the document's generation: an update that touches it comes from a
      // copy of an older generation (a device that was away when the room rebased, or an app too
      // old to say its generation on connecting). Told to reload (4409), the device carries its
      // unsynced edits into the new generation; merged here, it would bring back what was archived.
      const meta: unknown = metaMap(tr.doc);
      if ([...tr.changed.keys()].some((type) => type === meta)) {
        staleCopy = true;
        throw new RefusedWrite();
      }
      const verdict = checkWrite(tr.doc, tr, identity);
      if (!verdict.ok) {
        refusal = verdict;
        throw new RefusedWrite();
      }
    };
    const doc = this.doc;
    doc.on("beforeObserverCalls", check);
    let applied: Uint8Array | null;
    try {
      applied = captureUpdate(doc, () => Y.applyUpdate(doc, update, { socket: ws } satisfies SocketOrigin));
    } catch {
      // Refused, or Y.applyUpdate half-applied: go back to what is stored (all anyone was told of).
      this.current = null;
      const close = staleCopy
        ? CloseCode.GenerationChanged
        : refusal === null
          ? CloseCode.Malformed
          : closeFor(refusal);
      // Said in the Worker's log too: a refusal is either an attack or a bug in a device's app.
      console.warn(
        `[sync] ${new Date().toISOString()} refused an update from a ${identity.kind ?? "session"} (${identity.role}, session ${identity.sessionId.slice(0, 12)}): ${close.code} ${close.reason}`,
      );
      this.drop(ws, close);
      return;
    } finally {
      doc.off("beforeObserverCalls", check);
    }
    if (applied === null) return;
    this.lastWriteAt = this.now();
    this.store.append(applied);
    this.broadcast(encodeUpdateMessages(applied, this.maxMessageBytes), ws);
    this.compactIfDue();
  }

  /** True when the update holds structs the room has not got (a delete set alone adds nothing). */
  private addsContent(update: Uint8Array): boolean {
    const sv = Y.encodeStateVector(this.doc);
    const known = Y.decodeStateVector(sv);
    return Y.decodeUpdate(update).structs.some((s) => s.id.clock + s.length > (known.get(s.id.client) ?? 0));
  }

  private receiveAwareness(ws: WebSocket, attachment: ConnectionAttachment, entries: AwarenessEntry[]): void {
    const user = {
      id: attachment.identity.userId,
      name: attachment.identity.name,
      role: attachment.identity.role,
    };
    const out: AwarenessEntry[] = [];
    // Stock y-websocket relays every awareness change it hears, its colleagues' too: an entry of a
    // client another socket announced is that socket's, not this one's, and is ignored here.
    let othersCache: Set<string> | null = null;
    const others = () => {
      othersCache ??= new Set(
        this.ctx
          .getWebSockets()
          .filter((s) => s !== ws)
          .flatMap((s) => {
            const a = readAttachment(s);
            return a && !a.dropped ? Object.keys(a.awareness) : [];
          }),
      );
      return othersCache;
    };
    for (const entry of entries) {
      const key = String(entry.clientID);
      const own = key in attachment.awareness;
      if (!own && others().has(key)) continue;
      if (entry.state === null) {
        // A removal this socket relays for a client the room already forgot: nothing to say.
        if (!own) continue;
        delete attachment.awareness[key];
        out.push(entry);
        continue;
      }
      if (typeof entry.state !== "object" || Array.isArray(entry.state)) {
        this.drop(ws, CloseCode.Malformed);
        return;
      }
      // The room states who the person is; a device cannot claim to be someone else.
      const state = { ...(entry.state as Record<string, unknown>), user };
      if (JSON.stringify(state).length > MAX_AWARENESS_STATE_CHARS) {
        this.drop(ws, CloseCode.TooLarge);
        return;
      }
      // Past the few clients one device may run, an entry is a relay of someone gone: ignored.
      if (!own && Object.keys(attachment.awareness).length >= MAX_AWARENESS_CLIENTS_PER_SOCKET) continue;
      attachment.awareness[key] = { clock: entry.clock, state };
      out.push({ clientID: entry.clientID, clock: entry.clock, state });
    }
    writeAttachment(ws, attachment);
    // To the sender too, as stock y-websocket servers do: a device closes a socket that has heard nothing for
    // 30 s and syncs again over a new one, and a device alone hears no colleague's presence. (Its own state
    // coming back changes nothing on it: Yjs keeps what a device says of itself.)
    if (out.length > 0) this.broadcast([encodeAwarenessMessage(out)], null);
  }

  /** Awareness of every open socket but `except`: rebuilt from attachments, so it survives hibernation. */
  private presentEntries(except: WebSocket | null): AwarenessEntry[] {
    const entries: AwarenessEntry[] = [];
    for (const socket of this.ctx.getWebSockets()) {
      if (socket === except) continue;
      const a = readAttachment(socket);
      if (a && !a.dropped) entries.push(...awarenessEntriesOf(a));
    }
    return entries;
  }

  // ── Server writes ─────────────────────────────────────────────────────────────────────────

  /**
   * Applies the server's change (an import, a label result), persists it, then broadcasts it.
   * If `fn` throws, the document goes back to its stored state and the error is rethrown.
   * Returns the update written, or null when nothing changed.
   */
  transact(fn: (doc: Y.Doc) => void, origin: unknown = "room"): Uint8Array | null {
    const doc = this.doc;
    let update: Uint8Array | null;
    try {
      update = captureUpdate(doc, () => doc.transact(() => fn(doc), origin));
    } catch (e) {
      this.current = null;
      throw e;
    }
    if (update === null) return null;
    // Nothing the room sends may be above the split size: a single value too big to split (one
    // struct above it) is refused before it is stored, and the document goes back as it was.
    const messages = encodeUpdateMessages(update, this.maxMessageBytes);
    const largest = Math.max(...messages.map((m) => m.byteLength));
    if (largest > this.maxMessageBytes) {
      this.current = null;
      throw new ConsignError(
        ErrorCode.BadRequest,
        `A single value of ${largest} bytes cannot be sent to the team's devices (at most ${this.maxMessageBytes} bytes in one message): nothing was saved.`,
      );
    }
    this.store.append(update);
    this.broadcast(messages, null);
    this.compactIfDue();
    return update;
  }

  /** Folds the update log into a snapshot (one transaction, chunks under the row limit). */
  compact(): void {
    this.store.writeSnapshot(Y.encodeStateAsUpdate(this.doc));
  }

  private compactIfDue(): void {
    const log = this.store.log;
    // The log's bytes are read again at each load, but the snapshot is rewritten whole at each compaction:
    // past a few MB, folding the log in when it reaches a share of the snapshot keeps the total rewritten
    // while a room fills proportional to its size (a geometric series), and a load reads at most that
    // share more. Rows stay capped as they were (many tiny updates load slower than their bytes say).
    const bytesDue = Math.max(
      this.compactAfterBytes,
      this.store.snapshotSize * this.compactAfterSnapshotShare,
    );
    if (log.rows >= this.compactAfterRows || log.bytes >= bytesDue) this.compact();
  }

  /**
   * Starts a fresh generation when tombstones dominate (after archiving), or, at a quiet time (no
   * `minTombstones` given), when the document is in an older layout (@consign/sync layout.ts: the
   * renewal moves it to the current one): stores it, then closes every socket with 4409 so devices
   * reload it. Returns true when it rebased.
   */
  rebaseIfNeeded(minTombstones?: number): boolean {
    const oldLayout = minTombstones === undefined && documentLayout(this.doc) < CURRENT_LAYOUT;
    if (!oldLayout && !shouldRebase(documentHealth(this.doc), minTombstones)) return false;
    this.rebase();
    return true;
  }

  /** When a device last changed the document (room clock); the room's start until one has. */
  get lastDeviceWriteAt(): number {
    return this.lastWriteAt;
  }

  /** Devices connected now (their sockets), for deciding whether a rebase would interrupt anyone. */
  get connectedDevices(): number {
    let n = 0;
    for (const ws of this.ctx.getWebSockets()) {
      const a = readAttachment(ws);
      if (a !== null && !a.dropped) n++;
    }
    return n;
  }

  rebase(): void {
    const from = this.generation;
    const fresh = rebaseDocument(this.doc, this.newGeneration());
    console.warn(
      `[sync] ${new Date().toISOString()} new generation ${documentGeneration(fresh)} (was ${from}): ${this.ctx.getWebSockets().length} device(s) told to reload`,
    );
    this.store.writeSnapshot(Y.encodeStateAsUpdate(fresh));
    this.current = fresh;
    for (const listener of this.loadListeners) listener(fresh);
    for (const ws of this.ctx.getWebSockets()) this.drop(ws, CloseCode.GenerationChanged);
  }

  // ── Sessions ──────────────────────────────────────────────────────────────────────────────

  /** Closes the sockets whose identity matches (revoked sessions: 4401; removed members). */
  closeSessions(predicate: (identity: SyncIdentity) => boolean, code: number, reason: string): number {
    let closed = 0;
    for (const ws of this.ctx.getWebSockets()) {
      const a = readAttachment(ws);
      if (a && !a.dropped && predicate(a.identity)) {
        this.drop(ws, { code, reason });
        closed++;
      }
    }
    return closed;
  }

  /** Who is connected now. */
  connections(): SyncIdentity[] {
    const out: SyncIdentity[] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const a = readAttachment(ws);
      if (a && !a.dropped) out.push(a.identity);
    }
    return out;
  }

  /**
   * Forgets a socket once: tells the others its awareness states are gone, then closes it (unless
   * it is already closing). The removal uses clock + 1 so every device accepts it.
   */
  private drop(ws: WebSocket, close: { code: number; reason: string } | null): void {
    const a = readAttachment(ws);
    if (a && !a.dropped) {
      const removed = awarenessEntriesOf(a).map((e) => ({
        clientID: e.clientID,
        clock: e.clock + 1,
        state: null,
      }));
      writeAttachment(ws, { ...a, awareness: {}, dropped: true });
      if (removed.length > 0) this.broadcast([encodeAwarenessMessage(removed)], ws);
    }
    if (close) {
      try {
        ws.close(close.code, close.reason);
      } catch {
        // already closed
      }
    }
  }

  private broadcast(messages: Uint8Array[], except: WebSocket | null): void {
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except) continue;
      const a = readAttachment(ws);
      if (!a || a.dropped) continue;
      try {
        for (const m of messages) ws.send(m);
      } catch {
        this.drop(ws, null);
      }
    }
  }
}

class RefusedWrite extends Error {}

/** The close a refused write gets: its code by kind, its reason naming the key (at most 123 bytes). */
function closeFor(refusal: WriteRefusal): { code: number; reason: string } {
  const code = {
    forbidden: CloseCode.RoleCannotEdit.code,
    unknown: CloseCode.UnknownKey.code,
    invalid: CloseCode.UnknownKey.code,
    too_large: CloseCode.TooLarge.code,
  }[refusal.why];
  return { code, reason: closeReason(refusal.reason) };
}

/** A WebSocket close reason is at most 123 bytes of UTF-8. */
export function closeReason(text: string): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.byteLength <= 123) return text;
  let cut = text.slice(0, 120);
  while (new TextEncoder().encode(`${cut}…`).byteLength > 123) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Runs `fn` and returns the update it made to `doc` (merged), or null when it changed nothing. */
function captureUpdate(doc: Y.Doc, fn: () => void): Uint8Array | null {
  const updates: Uint8Array[] = [];
  const listener = (update: Uint8Array) => updates.push(update);
  doc.on("update", listener);
  try {
    fn();
  } finally {
    doc.off("update", listener);
  }
  if (updates.length === 0) return null;
  return updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates);
}
