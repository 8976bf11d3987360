import { createResource, createSignal, For, Show } from "solid-js";
import { adjustStock, getStock } from "../../lib/health-api.ts";
import { Customs } from "./Customs.tsx";

/**
 * Stock per SKU: what is on the shelf, what open orders hold, what Amazon may sell, orders stock
 * cannot fill (before anyone is tempted to cancel) and what was pushed to Amazon. Changes are
 * sent as +/- adjustments, so two packers each taking one leave two fewer.
 */
export function Stock(props: { canEdit: boolean; canEditCustoms?: boolean }) {
  const [stock, { mutate, refetch }] = createResource(getStock);
  const [error, setError] = createSignal<string | null>(null);
  async function change(e: SubmitEvent) {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const sku = String(f.get("sku") ?? "").trim();
    const delta = Number(f.get("delta"));
    if (!sku || !Number.isInteger(delta) || delta === 0) {
      setError("Enter a SKU and a whole number of units to add (or a negative number to take).");
      return;
    }
    try {
      mutate(await adjustStock([{ sku, delta }]));
      setError(null);
      (e.currentTarget as HTMLFormElement).reset();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  const pushed = (sku: string) => stock()?.pushedToAmazon.find((p) => p.sku === sku);
  return (
    <>
      <section class="card" aria-labelledby="s-stock" data-testid="stock">
        <h2 id="s-stock">Stock</h2>
        <Show when={stock()} fallback={<p class="muted">Loading stock…</p>}>
          {(s) => (
            <>
              <Show when={s().unfillable.length > 0}>
                <p role="alert" class="inline-error" data-testid="unfillable">
                  {s().unfillable.length} order{s().unfillable.length === 1 ? "" : "s"} cannot be filled from
                  stock:{" "}
                  {s()
                    .unfillable.slice(0, 5)
                    .map(
                      (u) => `${u.orderId} (${u.short.map((x) => `${x.sku} needs ${x.needed}`).join(", ")})`,
                    )
                    .join("; ")}
                  . Find stock or talk to the buyer before anything is cancelled.
                </p>
              </Show>
              <table class="stock-table">
                <thead>
                  <tr>
                    <th scope="col">SKU</th>
                    <th scope="col">On the shelf</th>
                    <th scope="col">Available to sell</th>
                    <th scope="col">Amazon</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={Object.keys(s().levels).sort()}>
                    {(sku) => (
                      <tr data-testid="stock-row" data-sku={sku}>
                        <td>{sku}</td>
                        <td>{s().levels[sku]}</td>
                        <td>
                          {s().available[sku] ?? 0}
                          <Show when={s().lowStock.some((l) => l.sku === sku)}>
                            <span class="badge warn"> Low stock</span>
                          </Show>
                        </td>
                        <td>
                          {pushed(sku)
                            ? `${pushed(sku)!.state} (${pushed(sku)!.quantity})${pushed(sku)!.issue ? `: ${pushed(sku)!.issue}` : ""}`
                            : "not pushed yet"}
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <Show when={Object.keys(s().levels).length === 0}>
                <p class="muted">No SKUs tracked yet: add stock below to start.</p>
              </Show>
            </>
          )}
        </Show>
        <Show when={props.canEdit}>
          <form onSubmit={change} aria-label="Change stock" class="grid2">
            <label class="field">
              <span>SKU</span>
              <input name="sku" required autocomplete="off" />
            </label>
            <label class="field">
              <span>Units to add (negative to take)</span>
              <input name="delta" type="number" step="1" required />
            </label>
            <button type="submit" class="primary">
              Change stock
            </button>
            <button type="button" onClick={() => refetch()}>
              Refresh
            </button>
          </form>
        </Show>
        <Show when={error()}>
          <p role="alert" class="inline-error">
            {error()}
          </p>
        </Show>
      </section>
      <Customs canEdit={props.canEditCustoms ?? false} skus={Object.keys(stock()?.levels ?? {})} />
    </>
  );
}
