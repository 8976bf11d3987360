// Edits a page sent to the document worker and has not yet heard are on the device (./doc-link.ts): kept in
// localStorage per seller, so a page closed at once loses none; the next page of the seller sends them again
// (the worker skips an edit it already applied: ./doc-host.ts).

import type { Edit } from "./edits.ts";

export interface Pending {
  id: string;
  device?: string;
  edit: Edit;
}

/** The part of localStorage used (a Map-backed object in tests). */
export type KeptStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export class PendingEdits {
  constructor(
    private readonly key: string,
    private readonly storage: KeptStorage = localStorage,
  ) {}
  all(): Pending[] {
    try {
      const list = JSON.parse(this.storage.getItem(this.key) ?? "[]") as unknown;
      return Array.isArray(list) ? (list as Pending[]) : [];
    } catch {
      return [];
    }
  }
  private save(list: Pending[]): void {
    try {
      if (list.length === 0) this.storage.removeItem(this.key);
      else this.storage.setItem(this.key, JSON.stringify(list));
    } catch (err) {
      console.warn("[doc-worker] could not keep an edit until it is on the device", err);
    }
  }
  add(p: Pending): void {
    this.save([...this.all(), p]);
  }
  done(id: string): void {
    const list = this.all();
    if (list.some((p) => p.id === id)) this.save(list.filter((p) => p.id !== id));
  }
}
