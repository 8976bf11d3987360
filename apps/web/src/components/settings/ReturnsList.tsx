import { createResource, For, Show } from "solid-js";
import { listReturns, returnLabelUrl } from "../../lib/returns.ts";

/** Every returns label bought, newest first: which order, the return's tracking, why, by whom. */
export function ReturnsList() {
  const [returns, { refetch }] = createResource(async () => (await listReturns()).returns);
  return (
    <section class="card" aria-labelledby="s-returns" data-testid="returns-list">
      <h2 id="s-returns">Returns</h2>
      <Show when={returns()} fallback={<p class="muted">Loading returns…</p>}>
        {(list) => (
          <Show
            when={list().length > 0}
            fallback={<p class="muted">No returns labels yet: make one from a sent order.</p>}
          >
            <table class="stock-table">
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Return tracking</th>
                  <th scope="col">Sent as</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Made</th>
                  <th scope="col">Label</th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(r) => (
                    <tr data-testid="returns-row">
                      <td>{r.orderId}</td>
                      <td>{r.trackingNumber ?? r.courierReturnId}</td>
                      <td>{r.originalTrackingNumber ?? "—"}</td>
                      <td>{r.reason ?? ""}</td>
                      <td>
                        {new Date(r.createdAt).toLocaleString("en-GB")} by {r.createdBy}
                      </td>
                      <td>
                        <button
                          type="button"
                          onClick={async () => window.open(await returnLabelUrl(r), "_blank", "noopener")}
                        >
                          {r.format === "qr" ? "QR code" : "PDF"}
                        </button>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </Show>
      <button type="button" onClick={() => refetch()}>
        Refresh
      </button>
    </section>
  );
}
