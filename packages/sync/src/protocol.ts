// The y-websocket wire protocol (what y-websocket's WebsocketProvider speaks), for the room's side:
// parsing a device's message strictly, and encoding what the room sends. Message = varuint type,
// then for sync (0): varuint step (0 state vector, 1 step 2, 2 update) + varbytes; for awareness
// (1): varbytes of an awareness update; query awareness (3): nothing.

import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { splitUpdate } from "./split.ts";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/** Production Durable Objects refuse WebSocket messages above 1 MiB: the room sends at most this. */
export const MAX_MESSAGE_BYTES = 900_000;

export interface AwarenessEntry {
  clientID: number;
  clock: number;
  /** Parsed JSON state; null when the client left. */
  state: unknown;
}

export type ClientMessage =
  | { kind: "syncStep1"; stateVector: Uint8Array }
  | { kind: "syncStep2"; update: Uint8Array }
  | { kind: "update"; update: Uint8Array }
  | { kind: "awareness"; entries: AwarenessEntry[] }
  | { kind: "queryAwareness" };

export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; reason: string };

function readBytes(decoder: decoding.Decoder): Uint8Array {
  const len = decoding.readVarUint(decoder);
  if (len > decoder.arr.length - decoder.pos) throw new Error("length runs past the end of the message");
  // A copy, so nothing downstream can read past it into the rest of the socket's buffer.
  return decoding.readUint8Array(decoder, len).slice();
}

function atEnd(decoder: decoding.Decoder): void {
  if (decoder.pos !== decoder.arr.length) throw new Error("unexpected bytes after the message");
}

/** Parses one message from a device; never throws. Updates are decoded fully, so a malformed one is refused here. */
export function parseClientMessage(data: Uint8Array): ParseResult {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      const payload = readBytes(decoder);
      atEnd(decoder);
      if (step === SYNC_STEP_1) {
        Y.decodeStateVector(payload);
        return { ok: true, message: { kind: "syncStep1", stateVector: payload } };
      }
      if (step === SYNC_STEP_2 || step === SYNC_UPDATE) {
        validateUpdate(payload);
        return {
          ok: true,
          message: { kind: step === SYNC_STEP_2 ? "syncStep2" : "update", update: payload },
        };
      }
      return { ok: false, reason: `unknown sync step ${step}` };
    }
    if (type === MESSAGE_AWARENESS) {
      const payload = readBytes(decoder);
      atEnd(decoder);
      return { ok: true, message: { kind: "awareness", entries: decodeAwarenessUpdate(payload) } };
    }
    if (type === MESSAGE_QUERY_AWARENESS) {
      atEnd(decoder);
      return { ok: true, message: { kind: "queryAwareness" } };
    }
    return { ok: false, reason: `unknown message type ${type}` };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** Throws unless the bytes are a complete Yjs update (format V1). */
export function validateUpdate(update: Uint8Array): void {
  if (update.byteLength < 2) throw new Error("update too short");
  Y.decodeUpdate(update);
}

export function decodeAwarenessUpdate(payload: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(payload);
  const count = decoding.readVarUint(decoder);
  if (count > 10_000) throw new Error("too many awareness entries");
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientID = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    if (decoder.pos > payload.length) throw new Error("awareness entry runs past the end");
    entries.push({ clientID, clock, state: JSON.parse(json) });
  }
  atEnd(decoder);
  return entries;
}

export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientID);
    encoding.writeVarUint(encoder, e.clock);
    encoding.writeVarString(encoder, JSON.stringify(e.state));
  }
  return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(entries));
  return encoding.toUint8Array(encoder);
}

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1: the room's state vector, asking the device for what the room lacks. */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  return syncMessage(SYNC_STEP_1, Y.encodeStateVector(doc));
}

/**
 * The answer to a device's step 1: everything it lacks. Above `maxBytes` it is split: the first
 * parts go as plain updates and the last as step 2, so the device reports "synced" only when it
 * has everything.
 */
export function encodeSyncStep2Messages(
  doc: Y.Doc,
  stateVector: Uint8Array,
  maxBytes = MAX_MESSAGE_BYTES,
): Uint8Array[] {
  const parts = splitUpdate(Y.encodeStateAsUpdate(doc, stateVector), maxBytes - 16);
  return parts.map((part, i) => syncMessage(i === parts.length - 1 ? SYNC_STEP_2 : SYNC_UPDATE, part));
}

/** An update for the devices, split when above `maxBytes`. */
export function encodeUpdateMessages(update: Uint8Array, maxBytes = MAX_MESSAGE_BYTES): Uint8Array[] {
  return splitUpdate(update, maxBytes - 16).map((part) => syncMessage(SYNC_UPDATE, part));
}

/**
 * A device's outgoing message, split when above `maxBytes`: production Durable Objects refuse
 * incoming WebSocket messages above 1 MiB, and a device back from a day offline (or the first
 * device of a large seller) can hold a bigger backlog than that. A step 2 or update becomes
 * several updates, the last one keeping the step; anything else goes as it is.
 */
export function splitOutgoingMessage(message: Uint8Array, maxBytes = MAX_MESSAGE_BYTES): Uint8Array[] {
  if (message.byteLength <= maxBytes) return [message];
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return [message];
  const step = decoding.readVarUint(decoder);
  if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) return [message];
  const parts = splitUpdate(decoding.readVarUint8Array(decoder), maxBytes - 16);
  return parts.map((part, i) => syncMessage(i === parts.length - 1 ? step : SYNC_UPDATE, part));
}
