// Commands that must happen exactly once (buy labels, dispatch, void a label) wait here with their
// Idempotency-Key until the edge answers. A lost answer or a dropped Wi-Fi means "send again with the same
// key" — never a second purchase, never a lost command. Kept in localStorage so a reload keeps the queue.

import type { Command } from "./api.ts";

export interface QueuedCommand {
  key: string;
  command: Command;
  label: string;
  createdAt: number;
  attempts: number;
  lastError?: string;
}

export interface OutboxDeps {
  storage: Pick<Storage, "getItem" | "setItem">;
  send(command: Command, key: string): Promise<unknown>;
  /** True for a failure worth retrying (network); other failures are final answers. */
  retryable(err: unknown): boolean;
  newKey(): string;
  now(): number;
  onChange?(queue: readonly QueuedCommand[]): void;
}

export class Outbox {
  private queue: QueuedCommand[];
  private readonly storageKey: string;
  private flushing: Promise<void> | null = null;
  private readonly waiters = new Map<string, { resolve(v: unknown): void; reject(e: unknown): void }>();

  constructor(
    private readonly deps: OutboxDeps,
    scope: string,
  ) {
    this.storageKey = `consign.outbox.v1:${scope}`;
    try {
      this.queue = JSON.parse(deps.storage.getItem(this.storageKey) ?? "[]") as QueuedCommand[];
    } catch {
      this.queue = [];
    }
  }

  pending(): readonly QueuedCommand[] {
    return this.queue;
  }

  /** Queues the command (persisted first) and resolves with the edge's answer, however many tries it takes. */
  submit(command: Command, label: string): Promise<unknown> {
    const entry: QueuedCommand = {
      key: this.deps.newKey(),
      command,
      label,
      createdAt: this.deps.now(),
      attempts: 0,
    };
    this.queue.push(entry);
    this.save();
    const answer = new Promise((resolve, reject) => this.waiters.set(entry.key, { resolve, reject }));
    void this.flush();
    return answer;
  }

  /** Sends what is queued, oldest first; stops at the first network failure (try again later). */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const entry = this.queue[0]!;
      entry.attempts++;
      try {
        const result = await this.deps.send(entry.command, entry.key);
        this.finish(entry);
        this.waiters.get(entry.key)?.resolve(result);
      } catch (err) {
        if (this.deps.retryable(err)) {
          entry.lastError = (err as Error).message;
          this.save();
          return;
        }
        this.finish(entry);
        this.waiters.get(entry.key)?.reject(err);
      }
      this.waiters.delete(entry.key);
    }
  }

  private finish(entry: QueuedCommand): void {
    this.queue = this.queue.filter((e) => e.key !== entry.key);
    this.save();
  }

  private save(): void {
    this.deps.storage.setItem(this.storageKey, JSON.stringify(this.queue));
    this.deps.onChange?.(this.queue);
  }
}
