import type { Env } from "./env.ts";

export const DIRECTORY_NAME = "directory";

export function directoryOf(env: Env) {
  return env.DIRECTORY.get(env.DIRECTORY.idFromName(DIRECTORY_NAME));
}

/** One Durable Object per seller, named by the seller id (never by anything a client sends unchecked). */
export function roomOf(env: Env, sellerId: string) {
  return env.SELLER_ROOM.get(env.SELLER_ROOM.idFromName(sellerId));
}
