// Splitting an order into parcels in the order drawer, before its labels are bought: how many of
// each line go in each parcel (every unit in exactly one parcel), saved through
// PUT /api/v1/orders/{orderId}/parcels, which the room checks (the refusal names each line that does
// not add up). Each parcel then gets its own label in a run, its own tracking and its own
// confirmation to Amazon. One parcel undoes the split.
import { activeShipmentOf, type Order, plural, unpackedUnits } from "@consign/domain";
import { createMemo, createSignal, For, Index, Show } from "solid-js";
import { ApiError, writeJson } from "../lib/api.ts";
import "../styles/parcels.css";

type Plan = number[][]; // plan[parcel][line] = units of that line in that parcel

function planOf(order: Order): Plan {
  const lines = order.items;
  const packages = order.packages ?? [];
  if (packages.length < 2) return [lines.map((i) => i.quantityOrdered)];
  return packages.map((p) =>
    lines.map((l) =>
      p.items.filter((i) => i.orderItemId === l.orderItemId).reduce((n, i) => n + i.quantity, 0),
    ),
  );
}

export function ParcelSplit(props: { order: Order; readOnly: boolean }) {
  const o = () => props.order;
  const labelled = () =>
    activeShipmentOf(o().shipments) !== undefined ||
    (o().packages ?? []).some((p) => activeShipmentOf(p.shipments) !== undefined);
  const editable = () =>
    !props.readOnly &&
    o().fulfilmentChannel === "MFN" &&
    (o().state === "new" || o().state === "ready") &&
    !labelled();
  const units = () => o().items.reduce((n, i) => n + i.quantityOrdered, 0);
  const [editing, setEditing] = createSignal<Plan | null>(null);
  const [saving, setSaving] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const left = createMemo(() => {
    const plan = editing();
    if (!plan) return [];
    const asParcels = plan.map((row) => ({
      items: row.map((quantity, k) => ({ orderItemId: o().items[k]!.orderItemId, quantity })),
    }));
    const out: string[] = [];
    for (const [id, n] of unpackedUnits(o(), asParcels)) {
      if (n === 0) continue;
      const sku = o().items.find((i) => i.orderItemId === id)?.sku ?? id;
      out.push(
        n > 0 ? `${plural(n, "unit")} of ${sku} in no parcel` : `${plural(-n, "unit")} of ${sku} too many`,
      );
    }
    return out;
  });

  const start = () => {
    const plan = planOf(o());
    setError(null);
    setEditing(plan.length > 1 ? plan : [plan[0]!, plan[0]!.map(() => 0)]);
  };
  const setUnits = (parcel: number, line: number, value: number) => {
    const plan = editing();
    if (!plan) return;
    setEditing(plan.map((row, p) => (p === parcel ? row.map((n, l) => (l === line ? value : n)) : row)));
  };
  async function save() {
    const plan = editing();
    if (!plan) return;
    const parcels = plan
      .map((row) => ({
        items: row
          .map((quantity, k) => ({ orderItemId: o().items[k]!.orderItemId, quantity }))
          .filter((i) => i.quantity > 0),
      }))
      .filter((p) => p.items.length > 0);
    setSaving(true);
    setError(null);
    try {
      await writeJson("PUT", `/api/v1/orders/${encodeURIComponent(o().orderId)}/parcels`, {
        body: { parcels },
        idempotencyKey: crypto.randomUUID(),
      });
      setEditing(null);
    } catch (e) {
      const fields =
        e instanceof ApiError && e.fields.length ? `: ${e.fields.map((f) => f.message).join("; ")}` : "";
      setError(`${(e as Error).message}${fields}`);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Show when={units() > 1 || (o().packages?.length ?? 0) > 1}>
      <section class="parcels" data-testid="parcels" aria-label="Parcels">
        <h3>Parcels</h3>
        <Show
          when={editing()}
          fallback={
            <>
              <Show
                when={(o().packages?.length ?? 0) > 1}
                fallback={<p class="muted">Goes as one parcel.</p>}
              >
                <ol class="parcel-list">
                  <For each={o().packages}>
                    {(p) => (
                      <li data-testid="parcel" data-parcel={p.packageReferenceId}>
                        Parcel {p.packageReferenceId}:{" "}
                        {p.items
                          .map(
                            (i) =>
                              `${i.quantity} × ${o().items.find((l) => l.orderItemId === i.orderItemId)?.sku ?? i.orderItemId}`,
                          )
                          .join(", ")}
                        <Show when={activeShipmentOf(p.shipments)}>
                          {(s) => <span class="muted"> · tracking {s().trackingNumber}</span>}
                        </Show>
                      </li>
                    )}
                  </For>
                </ol>
              </Show>
              <Show when={editable()}>
                <button type="button" data-testid="split-parcels" onClick={start}>
                  {(o().packages?.length ?? 0) > 1 ? "Change the parcels" : "Send in several parcels"}
                </button>
              </Show>
            </>
          }
        >
          {(plan) => (
            <div class="parcel-editor">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <Index each={plan()}>{(_, p) => <th scope="col">Parcel {p + 1}</th>}</Index>
                  </tr>
                </thead>
                <tbody>
                  <For each={o().items}>
                    {(line, l) => (
                      <tr>
                        <th scope="row">
                          {line.sku} <span class="muted">({line.quantityOrdered} ordered)</span>
                        </th>
                        <Index each={plan()}>
                          {(row, p) => (
                            <td>
                              <input
                                type="number"
                                min="0"
                                max={line.quantityOrdered}
                                inputmode="numeric"
                                aria-label={`${line.sku} in parcel ${p + 1}`}
                                value={row()[l()] ?? 0}
                                onInput={(e) =>
                                  setUnits(
                                    p,
                                    l(),
                                    Math.max(0, Math.floor(Number(e.currentTarget.value) || 0)),
                                  )
                                }
                              />
                            </td>
                          )}
                        </Index>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <p class="muted" aria-live="polite" data-testid="parcels-left">
                {left().length ? left().join(" · ") : "Every unit is in a parcel."}
              </p>
              <Show when={error()}>
                <p class="inline-error" role="alert">
                  {error()}
                </p>
              </Show>
              <div class="actions">
                <button
                  type="button"
                  onClick={() => setEditing([...plan(), o().items.map(() => 0)])}
                  disabled={plan().length >= 30}
                >
                  Add a parcel
                </button>
                <button
                  type="button"
                  onClick={() => setEditing(plan().slice(0, -1))}
                  disabled={plan().length <= 1}
                >
                  Remove the last parcel
                </button>
                <button
                  type="button"
                  class="primary"
                  data-testid="save-parcels"
                  disabled={saving() || left().length > 0}
                  onClick={() => void save()}
                >
                  Save {plural(plan().filter((row) => row.some((n) => n > 0)).length, "parcel")}
                </button>
                <button type="button" onClick={() => setEditing(null)}>
                  Cancel
                </button>
              </div>
            </div>
          )}
        </Show>
      </section>
    </Show>
  );
}
