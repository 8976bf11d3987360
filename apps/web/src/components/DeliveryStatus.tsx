// Where an order's parcels are, in the order drawer, from the room's tracking poll: each parcel's
// courier status and newest event, or its delivery time. Nothing is shown before the order has left.
import { type Order, packagesOf } from "@consign/domain";
import { For, Show } from "solid-js";

const when = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/London",
});

const STATUS_WORDS = {
  pre_transit: "Not collected yet",
  in_transit: "On its way",
  out_for_delivery: "Out for delivery",
  delivered: "Delivered",
  exception: "Delivery problem",
} as const;

export function DeliveryStatus(props: { order: Order }) {
  const left = () => props.order.state === "dispatched" || props.order.state === "confirmed";
  const parcels = () => packagesOf(props.order);
  return (
    <Show when={left()}>
      <section class="delivery" data-testid="delivery" aria-label="Delivery">
        <h3>Delivery</h3>
        <ul>
          <For each={parcels()}>
            {(p) => (
              <li data-testid="delivery-parcel" data-parcel={p.packageReferenceId}>
                <Show when={parcels().length > 1}>Parcel {p.packageReferenceId}: </Show>
                <Show
                  when={p.deliveredAt !== undefined}
                  fallback={
                    <Show
                      when={p.tracking}
                      fallback={<span class="muted">No report from the courier yet</span>}
                    >
                      {(t) => (
                        <>
                          <strong class={t().status === "exception" ? "danger" : ""}>
                            {STATUS_WORDS[t().status]}
                          </strong>
                          <Show when={t().event}>
                            {(e) => (
                              <span>
                                {" "}
                                · {e().description}, {when.format(e().at)}
                                {e().location ? ` (${e().location})` : ""}
                              </span>
                            )}
                          </Show>
                          <span class="muted"> · asked {when.format(t().checkedAt)}</span>
                        </>
                      )}
                    </Show>
                  }
                >
                  <strong>Delivered</strong> {when.format(p.deliveredAt!)}
                  <Show
                    when={
                      props.order.latestDeliveryDate !== undefined &&
                      p.deliveredAt! > props.order.latestDeliveryDate
                    }
                  >
                    <span class="danger"> · after the latest delivery date Amazon gave the buyer</span>
                  </Show>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </section>
    </Show>
  );
}
