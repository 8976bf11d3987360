import {
  type CourierId,
  type DispatchCutoffs,
  dispatchCutoffOf,
  type Order,
  type OrderState,
} from "@consign/domain";
import {
  batch,
  createEffect,
  createMemo,
  createSignal,
  For,
  lazy,
  onCleanup,
  Show,
  Suspense,
} from "solid-js";
import { BottomBar } from "../components/BottomBar.tsx";
import { DispatchClock } from "../components/DispatchClock.tsx";
import { EndOfDay } from "../components/EndOfDay.tsx";
import { OrderDrawer } from "../components/OrderDrawer.tsx";
import { OrderList } from "../components/OrderList.tsx";
import { RecentRuns } from "../components/RecentRuns.tsx";
import * as api from "../lib/api.ts";
import { formatTime, sameWarehouseDay, warehouseClock } from "../lib/clock.ts";
import { courierDaySignal } from "../lib/courier-day.ts";
import { readSetting } from "../lib/doc.ts";
import { keepDespiteCancellation, toggleHold } from "../lib/edits.ts";
import { useFirstScreen } from "../lib/first-screen-board.ts";
import { whenIdle } from "../lib/idle.ts";
import { now } from "../lib/now.ts";
import { currentSearch, navigate } from "../lib/router.ts";
import { nextToSelect, Selection } from "../lib/selection.ts";
import { role, session } from "../lib/session.ts";
import {
  type Filters,
  inView,
  matchesFilters,
  NO_FILTERS,
  type RowActionKind,
  readiness,
  STATE_TEXT,
  VIEWS,
  type ViewId,
} from "../lib/views.ts";
import { workspace } from "../lib/workspace.ts";
import "../styles/orders.css";

const BulkPanel = lazy(() => import("../components/BulkPanel.tsx"));
export type BulkIntent = { kind: "buy" | "dispatch" | "print" | "slips" | "pick"; orderIds: string[] } | null;

/** Two lists of order ids hold the same ids in the same order. */
function sameIds(a: readonly string[] | undefined, b: readonly string[]): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function OrdersScreen() {
  return (
    <Show when={workspace()} fallback={<p class="loading">Opening your orders…</p>}>
      {(ws) => <OrdersBoard ws={ws()} />}
    </Show>
  );
}

function OrdersBoard(props: { ws: NonNullable<ReturnType<typeof workspace>> }) {
  const ws = props.ws;
  const store = ws.orders;
  const view = (): ViewId => (currentSearch().get("view") as ViewId) || "due_today";
  const [filters, setFilters] = createSignal<Filters>(NO_FILTERS);
  const [query, setQuery] = createSignal("");
  const [selVersion, setSelVersion] = createSignal(0);
  const [focusIndex, setFocusIndex] = createSignal(-1);
  const [openId, setOpenId] = createSignal<string | null>(null);
  const [bulk, setBulk] = createSignal<BulkIntent>(null);
  const [notice, setNotice] = createSignal<string | null>(null);
  const selection = new Selection();
  /** Long-press on a row starts it: taps then add orders to the selection (touch has no Shift). */
  const [selectionMode, setSelectionMode] = createSignal(false);
  const [nextCount, setNextCount] = createSignal(10);
  const me = () => session()?.user.name ?? "me";
  const readOnly = () => role() === "viewer";

  // The ticking clock (every 30 s) is for what reads the minute: the dispatch clock, the rows' countdowns,
  // the "overdue" filter. The views and their counts read only the day's boundaries, so they follow `day`,
  // which changes at midnight: at 50,000 orders a recount on every tick froze the list 126 ms twice a minute.
  const clock = createMemo(() => warehouseClock(now()));
  const day = createMemo(() => clock(), undefined, { equals: sameWarehouseDay });
  const liveCounts = createMemo(() => {
    store.version();
    return store.counts(day());
  });
  const courierDay = courierDaySignal(ws.live.doc);
  // The team's cut-off (orders with no courier yet) and each courier's: an order is read against its own.
  const cutoff = createMemo(
    (): DispatchCutoffs => {
      store.version();
      return {
        team: dispatchCutoffOf(readSetting<string>(ws.live.doc, "dispatchCutoff")),
        couriers: courierDay().couriers,
      };
    },
    undefined,
    { equals: (a, b) => a.team === b.team && a.couriers === b.couriers },
  );
  // Until the copy on the device has loaded, the screen as this device last showed it (nothing acts on it).
  let strip: HTMLDivElement | undefined;
  let filterForm: HTMLFormElement | undefined;
  const above = () =>
    strip && filterForm
      ? { strip: strip.getBoundingClientRect().height, filters: filterForm.getBoundingClientRect().height }
      : undefined;
  const kept = useFirstScreen(ws, { view, query, filters, clock, counts: liveCounts, cutoff, above });
  /** While the kept screen shows, what stands above the list is as tall as it was (see FirstScreen.above). */
  const keptHeight = (part: "strip" | "filters") => {
    const h = kept.preview()?.above?.[part];
    return h === undefined ? undefined : { "min-height": `${h}px` };
  };
  const preview = () => kept.preview() !== null;
  const counts = () => kept.preview()?.counts ?? liveCounts();
  // The view and filters, in deadline order: recomputed when orders, the view or a filter change, never on a
  // keystroke. A keystroke only keeps those its search matches (the order stays: no sorting).
  // The same orders in the same order keep the same array: the search then puts right only the orders that
  // changed, instead of lining up (and setting the bits of) every order of the view again.
  const inViewIds = createMemo(
    () => {
      const f = filters();
      // Only the "overdue" filter reads the minute (shipBy against now).
      const c = f.shipBy !== null ? clock() : day();
      const v = view();
      const out: string[] = [];
      for (const o of store.sorted()) if (inView(o, v, c) && matchesFilters(o, f, c)) out.push(o.orderId);
      return out;
    },
    undefined,
    { equals: sameIds },
  );
  const visibleIds = createMemo(() => {
    const screen = kept.preview();
    if (screen) return screen.orders.map((o) => o.orderId);
    store.version();
    return store.search.filter(inViewIds(), query());
  });
  const matching = () => kept.preview()?.total ?? visibleIds().length;
  // Line up the search texts of the view when the page is idle, ready for the first keystroke.
  createEffect(() => {
    store.version();
    const ids = inViewIds();
    let cancel = whenIdle(function prepare(timeLeft) {
      if (!store.search.prepare(ids, () => timeLeft() > 2)) cancel = whenIdle(prepare);
    });
    onCleanup(() => cancel());
  });
  const selectedIds = createMemo(() => {
    selVersion();
    store.version();
    selection.retain((id) => store.byId.has(id));
    return [...selection.ids];
  });
  const isSelected = (id: string) => {
    selVersion();
    return selection.ids.has(id);
  };
  const bump = () => setSelVersion((v) => v + 1);
  createEffect(() => {
    if (selectedIds().length === 0) setSelectionMode(false);
  });
  const onLongPress = (id: string) => {
    setSelectionMode(true);
    if (!selection.ids.has(id)) selection.toggle(id);
    bump();
  };
  const selectNextReady = () => {
    const ids = nextToSelect(visibleIds(), selection.ids, nextCount(), (id) => {
      const o = store.byId.get(id);
      return !!o && readiness(o) === "ready";
    });
    for (const id of ids) selection.ids.add(id);
    bump();
    setNotice(
      ids.length
        ? `${ids.length === 1 ? "1 more order" : `${ids.length} more orders`} selected, ready for labels.`
        : "No more orders ready for a label in this view.",
    );
  };
  const targetIds = () => {
    if (selectedIds().length) return selectedIds();
    const focused = visibleIds()[focusIndex()];
    return focused ? [focused] : [];
  };

  const onSelect = (id: string, e: MouseEvent | KeyboardEvent) => {
    if (e.shiftKey) selection.extend(id, visibleIds());
    else selection.toggle(id);
    bump();
  };
  /** The order open in the drawer, as it stands now (re-read on every change to the document). */
  const openOrderData = createMemo(() => {
    store.version();
    const id = openId();
    return id ? store.byId.get(id) : undefined;
  });
  const openOrder = (id: string | null) => {
    setOpenId(id);
    ws.presence.openOrder(id);
  };
  onCleanup(() => ws.presence.openOrder(null));

  const hold = (ids: string[]) => {
    const orders = ids.map((id) => store.byId.get(id)).filter((o): o is Order => !!o);
    const n = toggleHold(ws.live.doc, orders, me());
    setNotice(
      n
        ? `${n} order${n === 1 ? "" : "s"} ${orders.every((o) => o.state === "on_hold") ? "released" : "put on hold"}.`
        : "Nothing to hold: those orders have left.",
    );
  };
  const actions = {
    buyAndPrint: (ids: string[]) => setBulk({ kind: "buy", orderIds: ids }),
    dispatch: (ids: string[]) => setBulk({ kind: "dispatch", orderIds: ids }),
    printLabels: (ids: string[]) => setBulk({ kind: "print", orderIds: ids }),
    voidLabel: (id: string) => {
      ws.outbox
        .submit(api.voidLabelCommand(id), `Void label for ${id}`)
        .then(() => setNotice(`Label for ${id} voided.`))
        .catch((e: Error) => setNotice(e.message));
    },
    acceptCancellation: (id: string) => {
      setNotice(
        ws.live.connection() === "offline"
          ? `Cancelling ${id} on Amazon as the buyer asked: waiting for the connection (it is sent the moment the connection is back).`
          : `Cancelling ${id} on Amazon as the buyer asked…`,
      );
      ws.outbox
        .submit(api.acceptCancellationCommand(id), `Accept the buyer's cancellation of ${id}`)
        .then((answer) =>
          setNotice(
            (answer as { state?: string } | null)?.state === "processing"
              ? `Amazon is still processing the cancellation of ${id}: it shows as cancelled once Amazon confirms.`
              : `Order ${id} is cancelled on Amazon at the buyer's request.`,
          ),
        )
        .catch((e: Error) => setNotice(e.message));
    },
    keepOrder: (id: string) => {
      const o = store.byId.get(id);
      if (!o) return;
      keepDespiteCancellation(ws.live.doc, o, me());
      setNotice(`Order ${id} kept: it has already shipped.`);
    },
  };

  /** A row's own button: the one next step for that order, no selection needed. */
  const rowActionOn = (id: string, kind: RowActionKind) => {
    if (kind === "review") openOrder(id);
    else if (kind === "release") hold([id]);
    else if (kind === "buy") actions.buyAndPrint([id]);
    else if (kind === "print") actions.printLabels([id]);
    else actions.dispatch([id]);
  };

  // Keys: / search · j/k move · x select · p print · h hold · Enter open · Esc close.
  let searchInput!: HTMLInputElement;
  const onKey = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (t.closest("input, textarea, select, [contenteditable]") || e.metaKey || e.ctrlKey || e.altKey) return;
    if (bulk() || preview()) return;
    const ids = visibleIds();
    const i = focusIndex();
    switch (e.key) {
      case "/":
        e.preventDefault();
        searchInput.focus();
        break;
      case "j":
        setFocusIndex(Math.min(ids.length - 1, i + 1));
        break;
      case "k":
        setFocusIndex(Math.max(0, i - 1));
        break;
      case "x":
        if (ids[i]) onSelect(ids[i]!, e);
        break;
      case "Enter":
        if (ids[i] && !t.closest("button, a")) openOrder(ids[i]!);
        break;
      case "p":
        if (!readOnly() && targetIds().length) actions.buyAndPrint(targetIds());
        break;
      case "h":
        if (!readOnly() && targetIds().length) hold(targetIds());
        break;
      default:
        return;
    }
  };
  addEventListener("keydown", onKey);
  onCleanup(() => removeEventListener("keydown", onKey));

  const setView = (id: ViewId) => {
    batch(() => {
      setFocusIndex(-1);
      navigate(id === "due_today" ? "/" : `/?view=${id}`, true);
    });
  };
  const setFilter = <K extends keyof Filters>(key: K, value: Filters[K]) =>
    setFilters({ ...filters(), [key]: value });
  const marketplaces = createMemo(() => [...store.tally().marketplaces.keys()].sort(), [], {
    equals: (a, b) => a.length === b.length && a.every((m, i) => m === b[i]),
  });

  return (
    <div class="orders-screen">
      <h1 class="visually-hidden">Orders</h1>
      <div class="strip" ref={strip} style={keptHeight("strip")}>
        <DispatchClock
          facts={store.dispatchFacts}
          cutoffs={cutoff()}
          kept={() => kept.preview()?.dispatch ?? null}
          keptCouriers={() => kept.preview()?.couriers ?? null}
        />
        <EndOfDay doc={ws.live.doc} readOnly={readOnly()} />
        <Show when={!readOnly()}>
          <RecentRuns runs={store.runs} onReprint={(ids) => setBulk({ kind: "print", orderIds: ids })} />
        </Show>
      </div>
      <div class="views" role="tablist" aria-label="Views">
        <For each={VIEWS}>
          {(v) => (
            <button
              type="button"
              role="tab"
              aria-selected={view() === v.id}
              data-testid={`view-${v.id}`}
              onClick={() => setView(v.id)}
            >
              {v.label} <span class="count">{counts()[v.id]}</span>
            </button>
          )}
        </For>
      </div>
      <form
        class="filters"
        ref={filterForm}
        style={keptHeight("filters")}
        aria-label="Search and filter orders"
        onSubmit={(e) => e.preventDefault()}
      >
        <label class="search">
          <span class="visually-hidden">Search orders</span>
          <input
            ref={searchInput}
            type="search"
            placeholder="Search order, buyer, postcode, SKU, tracking  ( / )"
            aria-label="Search orders"
            data-testid="search-input"
            value={query()}
            onInput={(e) => {
              setQuery(e.currentTarget.value);
              setFocusIndex(-1);
            }}
            onKeyDown={(e) => {
              if (e.key === "Escape" || e.key === "Enter") e.currentTarget.blur();
            }}
          />
        </label>
        <select
          aria-label="Filter by state"
          onChange={(e) => setFilter("state", (e.currentTarget.value || null) as OrderState | null)}
        >
          <option value="">Any state</option>
          <For each={Object.entries(STATE_TEXT)}>{([k, v]) => <option value={k}>{v.text}</option>}</For>
        </select>
        <select
          aria-label="Filter by ship-by"
          onChange={(e) => setFilter("shipBy", (e.currentTarget.value || null) as Filters["shipBy"])}
        >
          <option value="">Any ship-by</option>
          <option value="overdue">Overdue</option>
          <option value="today">Today</option>
          <option value="tomorrow">Tomorrow</option>
        </select>
        <select
          aria-label="Filter by courier"
          onChange={(e) => setFilter("courier", (e.currentTarget.value || null) as CourierId | null)}
        >
          <option value="">Any courier</option>
          <option value="royal-mail">Royal Mail</option>
          <option value="evri">Evri</option>
          <option value="dpd">DPD</option>
          <option value="amazon-shipping">Amazon Shipping</option>
        </select>
        <select
          aria-label="Filter by Prime"
          onChange={(e) =>
            setFilter("prime", e.currentTarget.value === "" ? null : e.currentTarget.value === "yes")
          }
        >
          <option value="">Prime or not</option>
          <option value="yes">Prime only</option>
          <option value="no">Not Prime</option>
        </select>
        <Show when={marketplaces().length > 1}>
          <select
            aria-label="Filter by marketplace"
            onChange={(e) => setFilter("marketplace", e.currentTarget.value || null)}
          >
            <option value="">Any marketplace</option>
            <For each={marketplaces()}>{(m) => <option value={m}>{m}</option>}</For>
          </select>
        </Show>
        <span class="select-next">
          <button
            type="button"
            data-testid="select-next-ready"
            disabled={readOnly()}
            onClick={selectNextReady}
          >
            Select the next {nextCount()} ready
          </button>
          <select
            aria-label="How many to select"
            value={String(nextCount())}
            onChange={(e) => setNextCount(Number(e.currentTarget.value))}
          >
            <For each={[5, 10, 20, 50]}>{(n) => <option value={String(n)}>{n}</option>}</For>
          </select>
        </span>
        <span class="match-count" data-testid="match-count" aria-live="polite">
          {matching()} order{matching() === 1 ? "" : "s"}
        </span>
      </form>
      <Show when={kept.preview()}>
        {(screen) => (
          <p class="first-screen-note" role="status" data-testid="first-screen">
            {screen().from === "team"
              ? `As the team's copy held them at ${formatTime(screen().savedAt)}: bringing the live list to this device…`
              : `As this device last showed them at ${formatTime(screen().savedAt)}: opening the live list…`}
          </p>
        )}
      </Show>
      <Show when={selectionMode()}>
        <p class="notice selection-mode" role="status" data-testid="selection-mode">
          Selecting: tap orders to add or remove them.{" "}
          <button type="button" onClick={() => setSelectionMode(false)}>
            Done
          </button>
        </p>
      </Show>
      <Show when={notice()}>
        <p class="notice" role="status">
          {notice()}{" "}
          <button type="button" class="link" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </p>
      </Show>
      <Show
        when={visibleIds().length > 0}
        fallback={
          <p class="empty" data-testid="orders-empty">
            {ws.live.loaded() ? "No orders in this view." : "Loading the orders held on this device…"}
          </p>
        }
      >
        <OrderList
          ids={visibleIds}
          order={(id) => {
            if (preview()) return kept.keptOrder(id);
            store.version();
            return store.byId.get(id);
          }}
          preview={preview}
          isSelected={isSelected}
          focusIndex={focusIndex}
          peersOn={(id) => ws.presence.onOrder(id)}
          isShort={(id) => store.shortfalls().has(id)}
          onSelect={(id, e) => preview() || onSelect(id, e)}
          onOpen={(id) => preview() || openOrder(id)}
          onFocusRow={setFocusIndex}
          selectionMode={selectionMode}
          onLongPress={onLongPress}
          onRowAction={readOnly() ? undefined : (id, kind) => preview() || rowActionOn(id, kind)}
        />
      </Show>
      <Show when={selectedIds().length > 0}>
        <BottomBar
          selected={selectedIds().length}
          matching={visibleIds().length}
          readOnly={readOnly()}
          onSelectAll={() => {
            selection.selectAll(visibleIds());
            bump();
          }}
          onClear={() => {
            selection.clear();
            bump();
          }}
          onBuy={() => actions.buyAndPrint(selectedIds())}
          onHold={() => hold(selectedIds())}
          onSlips={() => setBulk({ kind: "slips", orderIds: selectedIds() })}
          onPick={() => setBulk({ kind: "pick", orderIds: selectedIds() })}
          onDispatch={() => actions.dispatch(selectedIds())}
        />
      </Show>
      <Show when={openOrderData()}>
        <OrderDrawer
          order={openOrderData()!}
          ws={ws}
          me={me()}
          peers={ws.presence.onOrder(openOrderData()!.orderId)}
          actions={actions}
          readOnly={readOnly()}
          onClose={() => openOrder(null)}
        />
      </Show>
      <Show when={bulk()}>
        {(intent) => (
          <Suspense fallback={<p class="loading">Preparing…</p>}>
            <BulkPanel
              intent={intent()}
              ws={ws}
              onClose={() => setBulk(null)}
              onDone={() => {
                selection.clear();
                bump();
              }}
            />
          </Suspense>
        )}
      </Show>
    </div>
  );
}
