import { createResource, createSignal, Show } from "solid-js";
import { getReviewRequests, setReviewRequests } from "../../lib/health-api.ts";

/** Amazon's "Request a Review": once per order, inside the window Amazon allows, only if switched on. */
export function ReviewRequests() {
  const [state, { mutate }] = createResource(() => getReviewRequests().catch(() => null));
  const [error, setError] = createSignal<string | null>(null);
  async function toggle(e: Event) {
    const on = (e.currentTarget as HTMLInputElement).checked;
    try {
      mutate(await setReviewRequests(on));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <section class="card" aria-labelledby="s-reviews" data-testid="review-requests">
      <h2 id="s-reviews">Review requests</h2>
      <label class="field inline">
        <input
          type="checkbox"
          checked={state()?.enabled ?? false}
          onChange={toggle}
          disabled={state() === undefined}
        />
        <span>
          Ask each buyer once for a product review and seller feedback, 5–30 days after delivery (Amazon's own
          request, never twice for an order).
        </span>
      </label>
      <Show when={error()}>
        <p role="alert" class="inline-error">
          {error()}
        </p>
      </Show>
    </section>
  );
}
