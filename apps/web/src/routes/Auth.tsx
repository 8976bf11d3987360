import { createSignal, For, onCleanup, Show } from "solid-js";
import { FormError, fieldError } from "../components/FormError.tsx";
import * as api from "../lib/api.ts";
import { deviceKeyFor, rememberDeviceKey } from "../lib/device-keys.ts";
import { currentPath, currentSearch, linkClick, navigate } from "../lib/router.ts";
import { begin, defaultDeviceName } from "../lib/session.ts";
import "../styles/auth.css";

type Mode = "signin" | "signup" | "join";

interface FieldSpec {
  name: string;
  label: string;
  type?: string;
  autocomplete?: string;
}

const FIELDS: Record<Mode, FieldSpec[]> = {
  signin: [
    { name: "email", label: "Email", type: "email", autocomplete: "username" },
    { name: "password", label: "Password", type: "password", autocomplete: "current-password" },
  ],
  signup: [
    { name: "sellerName", label: "Business name", autocomplete: "organization" },
    { name: "name", label: "Your name", autocomplete: "name" },
    { name: "email", label: "Email", type: "email", autocomplete: "username" },
    { name: "password", label: "Password", type: "password", autocomplete: "new-password" },
  ],
  join: [
    { name: "code", label: "Invite code", autocomplete: "one-time-code" },
    { name: "name", label: "Your name", autocomplete: "name" },
    { name: "email", label: "Email", type: "email", autocomplete: "username" },
    { name: "password", label: "Password", type: "password", autocomplete: "new-password" },
  ],
};
const TITLES: Record<Mode, string> = { signin: "Sign in", signup: "Create an account", join: "Join a team" };

export function AuthScreen() {
  const mode = (): Mode => (currentPath().slice(1) as Mode) || "signin";
  const [error, setError] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal(false);
  /** Offline: the form is sent again, as it was, the moment the connection returns. */
  const [waiting, setWaiting] = createSignal(false);
  let retryOnline: (() => void) | null = null;
  const stopWaiting = () => {
    if (retryOnline) removeEventListener("online", retryOnline);
    retryOnline = null;
    setWaiting(false);
  };
  onCleanup(stopWaiting);

  function submit(e: SubmitEvent) {
    e.preventDefault();
    stopWaiting();
    void attempt(new FormData(e.currentTarget as HTMLFormElement));
  }

  async function attempt(form: FormData) {
    const v = (k: string) => String(form.get(k) ?? "").trim();
    const deviceName = v("deviceName") || defaultDeviceName();
    setBusy(true);
    setError(null);
    try {
      const m = mode();
      const result =
        m === "signin"
          ? await api.signIn({
              email: v("email"),
              password: String(form.get("password") ?? ""),
              deviceName,
              // A device that signed in before is not held up by others' wrong guesses at this email.
              ...(deviceKeyFor(v("email")) ? { deviceKey: deviceKeyFor(v("email")) } : {}),
            })
          : m === "signup"
            ? await api.signUp({
                sellerName: v("sellerName"),
                name: v("name"),
                email: v("email"),
                password: String(form.get("password") ?? ""),
                deviceName,
              })
            : await api.join({
                code: v("code"),
                name: v("name"),
                email: v("email"),
                password: String(form.get("password") ?? ""),
                deviceName,
              });
      stopWaiting();
      if (result.deviceKey) rememberDeviceKey(result.user.email, result.deviceKey);
      begin(result, deviceName);
      navigate("/", true);
    } catch (err) {
      if (err instanceof api.ApiError && err.code === "network") {
        setError(null);
        setWaiting(true);
        retryOnline = () => {
          if (retryOnline) removeEventListener("online", retryOnline);
          retryOnline = null;
          void attempt(form);
        };
        addEventListener("online", retryOnline);
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="auth" id="main">
      <div class="auth-card">
        <h1>Consign</h1>
        <nav class="auth-tabs" aria-label="Account">
          <a href="/signin" onClick={linkClick} aria-current={mode() === "signin" ? "page" : undefined}>
            Sign in
          </a>
          <a href="/signup" onClick={linkClick} aria-current={mode() === "signup" ? "page" : undefined}>
            Create account
          </a>
          <a href="/join" onClick={linkClick} aria-current={mode() === "join" ? "page" : undefined}>
            Join with invite code
          </a>
        </nav>
        <h2>{TITLES[mode()]}</h2>
        <form onSubmit={submit} aria-label={TITLES[mode()]} data-testid={`${mode()}-form`}>
          <For each={FIELDS[mode()]}>
            {(f) => (
              <label class="field">
                <span>{f.label}</span>
                <input
                  name={f.name}
                  type={f.type ?? "text"}
                  autocomplete={f.autocomplete}
                  required
                  value={f.name === "code" ? (currentSearch().get("code") ?? "") : ""}
                  aria-invalid={fieldError(error(), f.name) ? "true" : undefined}
                />
                <Show when={fieldError(error(), f.name)}>
                  <span class="field-error">{fieldError(error(), f.name)}</span>
                </Show>
              </label>
            )}
          </For>
          <label class="field">
            <span>This device's name</span>
            <input name="deviceName" type="text" value={defaultDeviceName()} />
          </label>
          <FormError error={error()} />
          <Show when={waiting()}>
            <p class="notice" role="status" data-testid="signin-waiting">
              No connection: waiting for the connection. You will be signed in as soon as it is back.
            </p>
          </Show>
          <button type="submit" class="primary wide" disabled={busy()}>
            {busy() ? "Please wait…" : TITLES[mode()]}
          </button>
        </form>
      </div>
    </main>
  );
}
