import { useRegisterSW } from "virtual:pwa-register/solid";
import { createEffect, Show } from "solid-js";

/** "A new version is ready — Reload": shown when a deploy has put a new service worker in waiting. */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, registration) {
      // Look for a new deploy every 30 minutes while the app stays open on the packing bench.
      if (registration) setInterval(() => void registration.update(), 30 * 60_000);
    },
  });
  // "Works offline" is news, not a question: it goes away by itself.
  createEffect(() => {
    if (offlineReady()) setTimeout(() => setOfflineReady(false), 5000);
  });
  return (
    <>
      <Show when={needRefresh()}>
        <div class="toast" role="alert" data-testid="update-prompt">
          <span>A new version is ready</span>
          <button type="button" class="primary" onClick={() => void updateServiceWorker(true)}>
            Reload
          </button>
          <button type="button" onClick={() => setNeedRefresh(false)}>
            Later
          </button>
        </div>
      </Show>
      <Show when={offlineReady()}>
        <div class="toast" role="status" data-testid="offline-ready">
          <span>Consign now works offline on this device.</span>
          <button type="button" onClick={() => setOfflineReady(false)}>
            OK
          </button>
        </div>
      </Show>
    </>
  );
}
