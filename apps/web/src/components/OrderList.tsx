import { type Order, openCancellationRequest, serviceName } from "@consign/domain";
import { createEffect, Index, Show } from "solid-js";
import { formatCountdown, formatDay, sentLateness, urgency } from "../lib/clock.ts";
import { now } from "../lib/now.ts";
import type { Peer } from "../lib/presence.ts";
import { createRowWindow } from "../lib/row-window.ts";
import { STATE_TEXT } from "../lib/views.ts";

/** Still to leave: the countdown to the dispatch deadline matters. */
const waiting = (o: Order) => o.state !== "dispatched" && o.state !== "confirmed" && o.state !== "cancelled";

export const ROW_HEIGHT = 52;

export interface OrderListProps {
  ids: () => readonly string[];
  order: (id: string) => Order | undefined;
  isSelected: (id: string) => boolean;
  focusIndex: () => number;
  peersOn: (id: string) => Peer[];
  /** True when stock on hand cannot fill the order. */
  isShort: (id: string) => boolean;
  onSelect: (id: string, e: MouseEvent | KeyboardEvent) => void;
  onOpen: (id: string) => void;
  onFocusRow: (index: number) => void;
}

function weightText(o: Order): string {
  const g = o.package?.weightGrams;
  if (!g) return "no weight";
  return g >= 1000 ? `${(g / 1000).toFixed(g % 1000 === 0 ? 0 : 2)} kg` : `${g} g`;
}

function serviceText(o: Order): string {
  if (!o.service) return o.shipServiceLevel;
  return serviceName(o.service.courier, o.service.serviceCode);
}

/** The virtualised order list: only the rows in view (plus a few) exist in the DOM, whatever the count. */
export function OrderList(props: OrderListProps) {
  let scroller!: HTMLDivElement;
  const rows = createRowWindow({
    count: () => props.ids().length,
    rowHeight: ROW_HEIGHT,
    overscan: 6,
    scroller: () => scroller,
  });
  createEffect(() => {
    const i = props.focusIndex();
    if (i >= 0 && i < props.ids().length) rows.scrollToIndex(i);
  });

  return (
    <div class="order-list" ref={scroller} data-testid="orders-list">
      <ul aria-label="Orders" style={{ height: `${rows.totalHeight()}px`, position: "relative" }}>
        <Index each={rows.rows()}>
          {(item) => {
            // Index keeps one row element per slot and updates it in place as the list scrolls.
            const row = {
              get index() {
                return item();
              },
              get start() {
                return item() * ROW_HEIGHT;
              },
            };
            const id = () => props.ids()[row.index] ?? "";
            const o = () => props.order(id());
            return (
              <Show when={o()}>
                {(order) => {
                  const left = () => order().latestShipDate - now();
                  const units = () => order().items.reduce((n, i) => n + i.quantityOrdered, 0);
                  const peers = () => props.peersOn(order().orderId);
                  return (
                    <li
                      class="order-row"
                      classList={{
                        selected: props.isSelected(id()),
                        focused: props.focusIndex() === row.index,
                      }}
                      aria-setsize={props.ids().length}
                      aria-posinset={row.index + 1}
                      aria-current={props.focusIndex() === row.index ? "true" : undefined}
                      data-testid="order-row"
                      data-order-id={order().orderId}
                      data-state={order().state}
                      data-selected={props.isSelected(id()) ? "true" : "false"}
                      style={{ transform: `translateY(${row.start}px)`, height: `${ROW_HEIGHT}px` }}
                    >
                      <div class="c-select">
                        <input
                          type="checkbox"
                          aria-label={`Select order ${order().orderId}`}
                          checked={props.isSelected(id())}
                          onClick={(e) => {
                            e.stopPropagation();
                            props.onFocusRow(row.index);
                            props.onSelect(id(), e);
                          }}
                        />
                      </div>
                      <Show
                        when={waiting(order())}
                        fallback={
                          <div
                            class="c-due done"
                            classList={{ late: sentLateness(order())?.late === true }}
                            data-testid="ship-by"
                          >
                            {order().dispatchedAt
                              ? `sent ${formatDay(order().dispatchedAt!)}${sentLateness(order())?.late ? ", late" : ""}`
                              : order().state === "cancelled"
                                ? "cancelled"
                                : "—"}
                          </div>
                        }
                      >
                        <div class={`c-due ${urgency(left())}`} data-testid="ship-by">
                          {formatCountdown(left())}
                        </div>
                      </Show>
                      <div class="c-id">
                        <button
                          type="button"
                          class="link"
                          aria-label={`Open order ${order().orderId}`}
                          onClick={() => {
                            props.onFocusRow(row.index);
                            props.onOpen(order().orderId);
                          }}
                        >
                          {order().orderId}
                        </button>
                      </div>
                      <div class="c-items">
                        <span>
                          {units()} × {order().items[0]?.sku ?? "—"}
                        </span>
                        <Show when={order().items.length > 1 || units() > 1}>
                          <span class="badge">multi</span>
                        </Show>
                      </div>
                      <div class="c-buyer">
                        <span>{order().buyerName ?? order().recipient?.name ?? "—"}</span>
                        <span class="muted"> {order().recipient?.postcode ?? ""}</span>
                      </div>
                      <div class="c-service">{serviceText(order())}</div>
                      <div class="c-weight" classList={{ missing: !order().package?.weightGrams }}>
                        {weightText(order())}
                      </div>
                      <div class={`c-state s-${order().state}`} data-testid="order-state">
                        <Show
                          when={openCancellationRequest(order())}
                          fallback={
                            <>
                              <span aria-hidden="true">{STATE_TEXT[order().state].icon}</span>{" "}
                              {STATE_TEXT[order().state].text}
                            </>
                          }
                        >
                          <span class="cancel-asked" data-testid="row-cancel-request">
                            Buyer asked to cancel
                            {order().cancellationRequestReason
                              ? `: ${order().cancellationRequestReason}`
                              : ""}
                          </span>
                        </Show>
                        <Show when={order().confirmation.state === "failed"}>
                          <span class="badge danger">confirm failed</span>
                        </Show>
                        <Show when={props.isShort(order().orderId)}>
                          <span class="badge danger" data-testid="row-unfillable">
                            no stock
                          </span>
                        </Show>
                      </div>
                      <div class="c-prime">
                        <Show when={order().isPrime}>
                          <span class="badge prime">Prime</span>
                        </Show>
                      </div>
                      <div class="c-peers">
                        <Show when={peers().length > 0}>
                          <span
                            class="peers"
                            data-testid="row-presence"
                            title={peers()
                              .map((p) => p.user.name)
                              .join(", ")}
                          >
                            {peers()
                              .map((p) => p.user.name)
                              .join(", ")}{" "}
                            has it open
                          </span>
                        </Show>
                      </div>
                    </li>
                  );
                }}
              </Show>
            );
          }}
        </Index>
      </ul>
    </div>
  );
}
