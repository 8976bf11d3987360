import { type Order, openCancellationRequest, serviceName } from "@consign/domain";
import { createEffect, createMemo, createSignal, Index, onCleanup, Show } from "solid-js";
import { formatCountdown, formatDay, sentLateness, urgency } from "../lib/clock.ts";
import { now } from "../lib/now.ts";
import type { Peer } from "../lib/presence.ts";
import { createRowWindow } from "../lib/row-window.ts";
import { type RowActionKind, rowAction, STATE_TEXT } from "../lib/views.ts";

/** Still to leave: the countdown to the dispatch deadline matters. */
const waiting = (o: Order) => o.state !== "dispatched" && o.state !== "confirmed" && o.state !== "cancelled";

export const ROW_HEIGHT = 52;
/** Portrait tablets show each order on two lines (buyer, postcode, service, weight and presence kept). */
export const ROW_HEIGHT_PORTRAIT = 84;
export const PORTRAIT_QUERY = "(max-width: 1000px)";
const LONG_PRESS_MS = 500;

/** The id a row carries in the DOM, for aria-activedescendant. */
export const rowDomId = (orderId: string) => `order-row-${orderId}`;

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
  /** Long-press selection mode: taps on a row's body add it to the selection instead of opening it. */
  selectionMode: () => boolean;
  onLongPress: (id: string) => void;
  /** The row's own action (./lib/views rowAction); absent for people who only view. */
  onRowAction?: (id: string, action: RowActionKind) => void;
  /**
   * True while the rows are the kept first screen (./lib/first-screen), not the live document: they are
   * drawn as they will be, but nothing on them can be pressed until the live list replaces them.
   */
  preview?: () => boolean;
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
  const media = typeof matchMedia === "function" ? matchMedia(PORTRAIT_QUERY) : null;
  const [portrait, setPortrait] = createSignal(media?.matches ?? false);
  const onMedia = () => setPortrait(media?.matches ?? false);
  media?.addEventListener("change", onMedia);
  onCleanup(() => media?.removeEventListener("change", onMedia));
  const rowHeight = () => (portrait() ? ROW_HEIGHT_PORTRAIT : ROW_HEIGHT);
  const rows = createRowWindow({
    count: () => props.ids().length,
    rowHeight,
    // Rows drawn beyond each edge: 3 (156 px in landscape) keeps rows ahead of a fast fling for a few frames.
    // Every row drawn is drawn again on each search keystroke, and at 50,000 orders what the browser allocates
    // for those rows (their DOM and layout) is what brings on its full garbage collections: with 6 a side one
    // came every ~48 keystrokes and held a keystroke up to 20 ms; with 3, every ~75 (BENCHMARKS.md, session 12).
    overscan: 3,
    scroller: () => scroller,
  });
  createEffect(() => {
    const i = props.focusIndex();
    if (i >= 0 && i < props.ids().length) rows.scrollToIndex(i);
  });
  /** The focused order's row (always drawn: the window scrolls to it), for assistive technology. */
  const activeId = () => {
    const id = props.ids()[props.focusIndex()];
    return id ? rowDomId(id) : undefined;
  };

  // One tab stop for the whole list: arrows move a roving focus (the row is scrolled into the drawn
  // window), Space selects the focused order (Shift+Space the range), Enter opens it (Orders screen).
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target !== scroller || e.metaKey || e.ctrlKey || e.altKey || props.preview?.()) return;
    const n = props.ids().length;
    if (n === 0) return;
    const i = Math.max(0, props.focusIndex());
    const page = Math.max(1, Math.floor(scroller.clientHeight / rowHeight()) - 1);
    const move = (to: number) => {
      e.preventDefault();
      props.onFocusRow(Math.max(0, Math.min(n - 1, to)));
    };
    switch (e.key) {
      case "ArrowDown":
        return move(props.focusIndex() < 0 ? 0 : i + 1);
      case "ArrowUp":
        return move(i - 1);
      case "PageDown":
        return move(i + page);
      case "PageUp":
        return move(i - page);
      case "Home":
        return move(0);
      case "End":
        return move(n - 1);
      case " ": {
        e.preventDefault();
        const id = props.ids()[i];
        if (id) {
          props.onFocusRow(i);
          props.onSelect(id, e);
        }
        return;
      }
    }
  };

  // Long-press: selection mode. The click that ends the press is swallowed.
  let pressTimer: ReturnType<typeof setTimeout> | undefined;
  let pressAt: { x: number; y: number } | null = null;
  let swallowClick = false;
  const cancelPress = () => {
    clearTimeout(pressTimer);
    pressAt = null;
  };
  onCleanup(cancelPress);
  const startPress = (e: PointerEvent, id: string) => {
    if (props.preview?.()) return;
    if (e.button !== 0 || (e.target as HTMLElement).closest("button, input, label, a")) return;
    cancelPress();
    pressAt = { x: e.clientX, y: e.clientY };
    pressTimer = setTimeout(() => {
      pressAt = null;
      swallowClick = true;
      props.onLongPress(id);
    }, LONG_PRESS_MS);
  };
  const movePress = (e: PointerEvent) => {
    if (pressAt && Math.hypot(e.clientX - pressAt.x, e.clientY - pressAt.y) > 10) cancelPress();
  };

  return (
    <div
      class="order-list"
      classList={{ portrait: portrait() }}
      ref={scroller}
      data-testid="orders-list"
      role="grid"
      aria-label="Orders"
      aria-multiselectable="true"
      aria-rowcount={props.ids().length}
      aria-activedescendant={activeId()}
      aria-busy={props.preview?.() ? "true" : undefined}
      data-preview={props.preview?.() ? "true" : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onFocus={(e) => {
        if (e.target === scroller && props.focusIndex() < 0 && props.ids().length > 0) props.onFocusRow(0);
      }}
    >
      <div role="rowgroup" class="rows" style={{ height: `${rows.totalHeight()}px`, position: "relative" }}>
        <Index each={rows.slots()}>
          {(item) => {
            // One element per slot, kept as the list scrolls: a slot holds a row for as long as the row is in
            // the window, so a flick re-renders only the rows that came into view (-1: an empty slot).
            const row = {
              get index() {
                return item();
              },
            };
            // Memos: the row's dozens of bindings each read the slot's order. Without them each binding looked
            // the order up again, and every binding of every row re-ran on any change to any order; now a
            // slot's bindings run when its own order changes (a new object) or a new order comes into it.
            const id = createMemo(() => props.ids()[row.index] ?? "");
            const o = createMemo(() => props.order(id()));
            return (
              <Show when={o()}>
                {(order) => {
                  const left = () => order().latestShipDate - now();
                  const units = () => order().items.reduce((n, i) => n + i.quantityOrdered, 0);
                  const peers = () => props.peersOn(order().orderId);
                  return (
                    // Keys are the grid's (one tab stop, roving focus): a row's click is the pointer's way in.
                    // biome-ignore lint/a11y/useKeyWithClickEvents: the grid container handles the keyboard
                    <div
                      id={rowDomId(order().orderId)}
                      role="row"
                      tabIndex={-1}
                      aria-rowindex={row.index + 1}
                      aria-selected={props.isSelected(id()) ? "true" : "false"}
                      onPointerDown={(e) => startPress(e, id())}
                      onPointerMove={movePress}
                      onPointerUp={cancelPress}
                      onPointerCancel={cancelPress}
                      onContextMenu={(e) => {
                        if (e.pointerType === "touch" || swallowClick) e.preventDefault();
                      }}
                      onClick={(e) => {
                        if (swallowClick) {
                          swallowClick = false;
                          return;
                        }
                        // Controls (the leading select zone, the order's button) handle their own clicks.
                        if ((e.target as HTMLElement).closest("button, input, label, a")) return;
                        if (props.preview?.()) return;
                        props.onFocusRow(row.index);
                        if (props.selectionMode()) props.onSelect(id(), e);
                        else props.onOpen(order().orderId);
                      }}
                      class="order-row"
                      classList={{
                        selected: props.isSelected(id()),
                        focused: props.focusIndex() === row.index,
                      }}
                      data-testid="order-row"
                      data-order-id={order().orderId}
                      data-state={order().state}
                      data-selected={props.isSelected(id()) ? "true" : "false"}
                      style={{
                        transform: `translateY(${row.index * rowHeight()}px)`,
                        height: `${rowHeight()}px`,
                      }}
                    >
                      {/* The whole leading zone (48 px wide, the row's height) toggles the order. */}
                      <div class="c-select" role="gridcell" tabIndex={-1}>
                        <label class="select-zone" data-testid="select-zone">
                          <input
                            type="checkbox"
                            tabIndex={-1}
                            aria-label={`Select order ${order().orderId}`}
                            disabled={props.preview?.()}
                            checked={props.isSelected(id())}
                            onClick={(e) => {
                              e.stopPropagation();
                              props.onFocusRow(row.index);
                              props.onSelect(id(), e);
                            }}
                          />
                        </label>
                      </div>
                      <Show
                        when={waiting(order())}
                        fallback={
                          <div
                            role="gridcell"
                            tabIndex={-1}
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
                        <div
                          class={`c-due ${urgency(left())}`}
                          data-testid="ship-by"
                          role="gridcell"
                          tabIndex={-1}
                        >
                          {formatCountdown(left())}
                        </div>
                      </Show>
                      <div class="c-id" role="gridcell" tabIndex={-1}>
                        <button
                          type="button"
                          tabIndex={-1}
                          class="link"
                          aria-label={`Open order ${order().orderId}`}
                          disabled={props.preview?.()}
                          onClick={() => {
                            props.onFocusRow(row.index);
                            props.onOpen(order().orderId);
                          }}
                        >
                          {order().orderId}
                        </button>
                      </div>
                      <div class="c-items" role="gridcell" tabIndex={-1}>
                        <span>
                          {units()} × {order().items[0]?.sku ?? "—"}
                        </span>
                        <Show when={order().items.length > 1 || units() > 1}>
                          <span class="badge">multi</span>
                        </Show>
                      </div>
                      <div class="c-buyer" role="gridcell" tabIndex={-1}>
                        <span>{order().buyerName ?? order().recipient?.name ?? "—"}</span>
                        <span class="muted"> {order().recipient?.postcode ?? ""}</span>
                      </div>
                      <div class="c-service" role="gridcell" tabIndex={-1}>
                        {serviceText(order())}
                      </div>
                      <div
                        class="c-weight"
                        role="gridcell"
                        tabIndex={-1}
                        classList={{ missing: !order().package?.weightGrams }}
                      >
                        {weightText(order())}
                      </div>
                      <div
                        class={`c-state s-${order().state}`}
                        data-testid="order-state"
                        role="gridcell"
                        tabIndex={-1}
                      >
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
                      <div class="c-prime" role="gridcell" tabIndex={-1}>
                        <Show when={order().isPrime}>
                          <span class="badge prime">Prime</span>
                        </Show>
                      </div>
                      <div class="c-action" role="gridcell" tabIndex={-1}>
                        <Show when={props.onRowAction && rowAction(order())}>
                          {(action) => (
                            <button
                              type="button"
                              tabIndex={-1}
                              class={`row-action a-${action().kind}`}
                              data-testid="row-action"
                              data-action={action().kind}
                              disabled={props.preview?.()}
                              aria-label={`${action().label} order ${order().orderId}`}
                              onClick={(e) => {
                                e.stopPropagation();
                                props.onFocusRow(row.index);
                                props.onRowAction?.(order().orderId, action().kind);
                              }}
                            >
                              {action().label}
                            </button>
                          )}
                        </Show>
                      </div>
                      <div class="c-peers" role="gridcell" tabIndex={-1}>
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
                    </div>
                  );
                }}
              </Show>
            );
          }}
        </Index>
      </div>
    </div>
  );
}
