import { createSignal, For, Show } from "solid-js";
import * as api from "../../lib/api.ts";
import { navigate } from "../../lib/router.ts";
import { end, role, session, switchSeller } from "../../lib/session.ts";
import { FormError } from "../FormError.tsx";

/** Who is signed in, which seller, and signing out of this device or every device. */
export function Account() {
  const [error, setError] = createSignal<unknown>(null);
  async function signOut(all: boolean) {
    if (all && !confirm("Sign out on every device, including this one?")) return;
    try {
      await (all ? api.signOutAll() : api.signOut());
    } catch (err) {
      // Offline: forget the session here anyway; the edge expires it.
      if (!api.isNetworkError(err)) setError(err);
    }
    end();
    navigate("/signin", true);
  }
  return (
    <section class="card" aria-labelledby="s-account">
      <h2 id="s-account">Account</h2>
      <p>
        Signed in as <strong>{session()?.user.name}</strong> ({session()?.user.email}) on “
        {session()?.deviceName}” · role: <strong data-testid="my-role">{role() ?? "unknown"}</strong>
      </p>
      <Show when={(session()?.memberships.length ?? 0) > 1}>
        <label class="field">
          <span>Work for</span>
          <select value={session()?.sellerId ?? ""} onChange={(e) => switchSeller(e.currentTarget.value)}>
            <For each={session()?.memberships}>
              {(m) => (
                <option value={m.sellerId}>
                  {m.sellerName} ({m.role})
                </option>
              )}
            </For>
          </select>
        </label>
      </Show>
      <FormError error={error()} />
      <div class="row">
        <button type="button" onClick={() => void signOut(false)}>
          Sign out of this device
        </button>
        <button type="button" class="danger" onClick={() => void signOut(true)}>
          Sign out everywhere
        </button>
      </div>
    </section>
  );
}
