// This device's name as the person gave it at sign-in ("Packing bench tablet"): written into each
// order history entry made here, so "who changed it" also says on which device.

const KEY = "consign.device.v1";

/** Set while the document worker applies a page's edit: the worker has no localStorage of its own. */
let editingFor: string | undefined;

export function thisDevice(): string | undefined {
  if (editingFor !== undefined) return editingFor || undefined;
  try {
    return localStorage.getItem(KEY) || undefined;
  } catch {
    return undefined;
  }
}

/** Runs `fn` with `thisDevice()` answering `device` (the page's name, sent with its edit). */
export function asDevice<T>(device: string | undefined, fn: () => T): T {
  const before = editingFor;
  editingFor = device ?? "";
  try {
    return fn();
  } finally {
    editingFor = before;
  }
}
