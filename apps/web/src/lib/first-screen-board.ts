// The orders screen's side of the kept first screen (./first-screen.ts): which rows and counts to draw
// while the copy on the device loads, and keeping the screen up to date once the live list shows.

import { courierLines, type DispatchCutoffs, type Order } from "@consign/domain";
import { type Accessor, createEffect, createMemo, onCleanup } from "solid-js";
import type { WarehouseClock } from "./clock.ts";
import {
  FIRST_SCREEN_VERSION,
  type FirstScreen,
  firstRowsOf,
  firstScreenKey,
  saveFirstScreen,
  teamScreenFor,
} from "./first-screen.ts";
import { whenIdle } from "./idle.ts";
import { dispatchFiguresOf, type Filters, NO_FILTERS, type ViewId } from "./views.ts";
import type { Workspace } from "./workspace.ts";

/** How long the live list stays unchanged before its first screen is written again (ms). */
const SAVE_AFTER_MS = 1000;
/** …and at the latest this long after that when the page is never idle (ms). */
const SAVE_AT_LATEST_MS = 3000;

export interface FirstScreenBoard {
  /** The kept screen while it stands in for the live list (null once the document has loaded). */
  preview: Accessor<FirstScreen | null>;
  /** A kept row by order id (during the preview). */
  keptOrder: (id: string) => Order | undefined;
}

export function useFirstScreen(
  ws: Workspace,
  screen: {
    view: Accessor<ViewId>;
    query: Accessor<string>;
    filters: Accessor<Filters>;
    clock: Accessor<WarehouseClock>;
    counts: Accessor<Record<ViewId, number>>;
    cutoff: Accessor<string | DispatchCutoffs>;
    /** How tall what stands above the list is now (undefined before it is drawn). */
    above?: () => { strip: number; filters: number } | undefined;
  },
): FirstScreenBoard {
  // Drawn only for what it shows: the view it was kept for, with no search or filter typed meanwhile. On a
  // device with no copy of its own, the room's first screen of whichever view is open, until the room's
  // whole copy has arrived (the device's own empty copy loads at once and shows nothing).
  const preview = createMemo(() => {
    if (screen.query() !== "" || screen.filters() !== NO_FILTERS) return null;
    const kept = ws.firstScreen();
    if (kept && !ws.live.loaded()) return kept.view === screen.view() ? kept : null;
    const team = ws.teamScreen();
    if (team === null || ws.live.lastSyncedAt() !== null) return null;
    return teamScreenFor(team, ws.sellerId, screen.view());
  });
  const byId = createMemo(() => new Map((preview()?.orders ?? []).map((o) => [o.orderId, o])));

  const opened = ws.firstScreen();
  const lastKept = new Map<ViewId, string>(opened ? [[opened.view, firstScreenKey(opened)]] : []);
  const store = ws.orders;
  // Once the live list shows, its first screen is kept a second after it last changed, in idle time, and
  // written only when what it shows differs from what is kept.
  createEffect(() => {
    if (!ws.live.loaded()) return;
    store.version();
    const view = screen.view();
    const clock = screen.clock();
    let cancelIdle: (() => void) | undefined;
    let latest: ReturnType<typeof setTimeout> | undefined;
    const timer = setTimeout(() => {
      // In idle time, or within a few seconds on a page that is never idle (a run in progress).
      const keep = () => {
        cancelIdle?.();
        clearTimeout(latest);
        const cutoffs = screen.cutoff();
        const next: FirstScreen = {
          version: FIRST_SCREEN_VERSION,
          sellerId: ws.sellerId,
          view,
          savedAt: Date.now(),
          counts: screen.counts(),
          total: screen.counts()[view],
          dispatch: dispatchFiguresOf(store.dispatchFacts(), clock, cutoffs),
          couriers:
            typeof cutoffs === "string"
              ? []
              : courierLines(store.dispatchFacts(), clock.now, cutoffs.couriers),
          orders: firstRowsOf(store.sorted(), view, clock),
        };
        const above = screen.above?.();
        if (above) next.above = above;
        const key = firstScreenKey(next);
        if (lastKept.get(view) === key) return;
        lastKept.set(view, key);
        void saveFirstScreen(next);
      };
      cancelIdle = whenIdle(keep);
      latest = setTimeout(keep, SAVE_AT_LATEST_MS);
    }, SAVE_AFTER_MS);
    onCleanup(() => {
      clearTimeout(timer);
      clearTimeout(latest);
      cancelIdle?.();
    });
  });

  return { preview, keptOrder: (id) => byId().get(id) };
}
