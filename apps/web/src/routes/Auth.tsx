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
  /** Sign-up's second step: the code emailed to this address, and the form to send again for a new one. */
  const [codeSent, setCodeSent] = createSignal<
    (api.SignUpStarted & { deviceName: string; form: FormData }) | null
  >(null);
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
      if (m === "signup") {
        // Step one: the same answer for every email; the account opens with the emailed code.
        const started = await api.signUp({
          sellerName: v("sellerName"),
          name: v("name"),
          email: v("email"),
          password: String(form.get("password") ?? ""),
          deviceName,
        });
        stopWaiting();
        setCodeSent({ ...started, deviceName, form });
        return;
      }
      const result =
        m === "signin"
          ? await api.signIn({
              email: v("email"),
              password: String(form.get("password") ?? ""),
              deviceName,
              // A device that signed in before is not held up by others' wrong guesses at this email.
              ...(deviceKeyFor(v("email")) ? { deviceKey: deviceKeyFor(v("email")) } : {}),
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

  async function verify(e: SubmitEvent) {
    e.preventDefault();
    const sent = codeSent();
    if (!sent) return;
    const code = String(new FormData(e.currentTarget as HTMLFormElement).get("signupCode") ?? "").trim();
    setBusy(true);
    setError(null);
    try {
      const result = await api.verifySignUp({ email: sent.email, code, deviceName: sent.deviceName });
      if (result.deviceKey) rememberDeviceKey(result.user.email, result.deviceKey);
      begin(result, sent.deviceName);
      setCodeSent(null);
      navigate("/", true);
    } catch (err) {
      setError(err);
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
        <Show when={mode() === "signup" && codeSent()}>
          {(sent) => (
            <form
              onSubmit={(e) => void verify(e)}
              aria-label="Enter the code from the email"
              data-testid="signup-code-form"
            >
              <p role="status" data-testid="signup-code-sent">
                {sent().message}
              </p>
              <Show when={sent().sandboxMailbox}>
                {(box) => (
                  <p class="muted">
                    This is the local stack: the email is in the{" "}
                    <a href={box()} target="_blank" rel="noopener">
                      sandbox's mailbox
                    </a>
                    .
                  </p>
                )}
              </Show>
              <label class="field">
                <span>Code from the email</span>
                <input
                  name="signupCode"
                  type="text"
                  inputmode="numeric"
                  autocomplete="one-time-code"
                  pattern="[0-9 ]{6,7}"
                  maxlength="7"
                  required
                  aria-invalid={fieldError(error(), "code") ? "true" : undefined}
                />
                <Show when={fieldError(error(), "code")}>
                  <span class="field-error">{fieldError(error(), "code")}</span>
                </Show>
              </label>
              <FormError error={error()} />
              <button type="submit" class="primary wide" disabled={busy()}>
                {busy() ? "Please wait…" : "Open my account"}
              </button>
              <button type="button" class="wide" disabled={busy()} onClick={() => void attempt(sent().form)}>
                Send a new code
              </button>
              <button
                type="button"
                class="link"
                onClick={() => {
                  setError(null);
                  setCodeSent(null);
                }}
              >
                Use a different email
              </button>
            </form>
          )}
        </Show>
        <form
          hidden={mode() === "signup" && codeSent() !== null}
          onSubmit={submit}
          aria-label={TITLES[mode()]}
          data-testid={`${mode()}-form`}
        >
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
