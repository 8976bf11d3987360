import { describe, expect, it } from "vitest";
import type { Command } from "./api.ts";
import { Outbox, type OutboxDeps } from "./outbox.ts";

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}
class Offline extends Error {}
const cmd: Command = { method: "POST", path: "/api/v1/dispatch", body: { orderIds: ["A"] } };

function deps(over: Partial<OutboxDeps>, storage = memoryStorage()): OutboxDeps {
  let n = 0;
  return {
    storage,
    send: async () => ({ ok: true }),
    retryable: (e) => e instanceof Offline,
    newKey: () => `key-${++n}`,
    now: () => 0,
    ...over,
  };
}

describe("command outbox", () => {
  it("sends the same idempotency key again after the network drops, and only once it succeeds removes it", async () => {
    const keys: string[] = [];
    let online = false;
    const box = new Outbox(
      deps({
        send: async (_c, key) => {
          keys.push(key);
          if (!online) throw new Offline("offline");
          return { runId: "r1" };
        },
      }),
      "s1",
    );
    const answer = box.submit(cmd, "Dispatch 1 order");
    await box.flush();
    expect(box.pending()).toHaveLength(1);
    online = true;
    await box.flush();
    await expect(answer).resolves.toEqual({ runId: "r1" });
    expect(keys).toEqual(["key-1", "key-1"]);
    expect(box.pending()).toHaveLength(0);
  });

  it("keeps an unanswered command across a reload", async () => {
    const storage = memoryStorage();
    const first = new Outbox(deps({ send: async () => Promise.reject(new Offline("x")) }, storage), "s1");
    void first.submit(cmd, "Dispatch").catch(() => undefined);
    await first.flush();
    const sent: string[] = [];
    const second = new Outbox(deps({ send: async (_c, key) => void sent.push(key) }, storage), "s1");
    expect(second.pending()).toHaveLength(1);
    await second.flush();
    expect(sent).toEqual(["key-1"]);
  });

  it("drops a command the edge refused and reports the refusal", async () => {
    const box = new Outbox(deps({ send: async () => Promise.reject(new Error("Order is on hold")) }), "s1");
    await expect(box.submit(cmd, "Dispatch")).rejects.toThrow("Order is on hold");
    expect(box.pending()).toHaveLength(0);
  });
});
