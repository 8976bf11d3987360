// This device's name as the person gave it at sign-in ("Packing bench tablet"): written into each
// order history entry made here, so "who changed it" also says on which device.

const KEY = "consign.device.v1";

export function thisDevice(): string | undefined {
  try {
    return localStorage.getItem(KEY) || undefined;
  } catch {
    return undefined;
  }
}
