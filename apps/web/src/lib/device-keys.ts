// The key this device got when it signed in to an account. Sent back when signing in again, it
// tells the edge this device has signed in before, so someone else's wrong guesses at the same
// email do not hold it up. Kept per email across sign-outs (it is no session: it signs nothing in
// by itself, and a new sign-in replaces it).
const KEY = "consign.deviceKeys.v1";

type Store = Pick<Storage, "getItem" | "setItem">;

function read(storage: Store): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? "{}");
    return parsed && typeof parsed === "object" ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

const normalise = (email: string) => email.trim().toLowerCase();

/** The device key this device holds for `email`, if it signed in to that account before. */
export function deviceKeyFor(email: string, storage: Store = localStorage): string | undefined {
  const key = read(storage)[normalise(email)];
  return typeof key === "string" && key.length > 0 ? key : undefined;
}

/** Keeps the device key a sign-in, sign-up or join answered with. */
export function rememberDeviceKey(email: string, deviceKey: string, storage: Store = localStorage): void {
  const all = read(storage);
  all[normalise(email)] = deviceKey;
  storage.setItem(KEY, JSON.stringify(all));
}
