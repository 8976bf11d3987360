// The window of rows a fixed-height list draws: the rows in view plus `overscan` either side. Every
// row of the order list is the same height, so the window is arithmetic on scrollTop, whatever the
// count. (A general virtualiser measures every row: at 50,000 orders it rebuilt 50,000 measurements
// on each search keystroke, a third of the keystroke's time.)

import { createMemo, createSignal, onCleanup, onMount } from "solid-js";

export interface RowRange {
  /** First row drawn. */
  start: number;
  /** One past the last row drawn. */
  end: number;
}

/** The rows to draw for a viewport of `viewport` px scrolled to `scrollTop` over `count` rows. */
export function rowRange(
  scrollTop: number,
  viewport: number,
  count: number,
  rowHeight: number,
  overscan: number,
): RowRange {
  if (count <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewport)) / rowHeight);
  const start = Math.max(0, Math.min(first - overscan, count - 1));
  return { start, end: Math.max(start, Math.min(count, last + overscan)) };
}

/**
 * How many rows a window can hold for a viewport: the rows in view (a part-row at each edge) and the
 * overscan either side. The row window draws into this many slots, whatever the scroll position.
 */
export function slotCount(viewport: number, rowHeight: number, overscan: number): number {
  return Math.ceil(Math.max(0, viewport) / rowHeight) + 1 + 2 * overscan;
}

/**
 * The rows from `start` laid into `slots` slots (as many as there are, up to `count`), each row in the slot
 * of its index modulo `slots`; -1 marks an empty slot (past the end of a short list). A row keeps its slot
 * for as long as it stays in the window and every slot stays filled, so moving the window by a few rows
 * changes only the slots of the rows that came in: a list drawing slot by slot re-renders those and leaves
 * the rest alone (drawn in order, every slot would show a different row after any move).
 */
export function slotRows(start: number, slots: number, count: number): number[] {
  const out = new Array<number>(slots).fill(-1);
  const end = Math.min(count, start + slots);
  for (let i = Math.max(0, start); i < end; i++) out[i % slots] = i;
  return out;
}

/** Where to scroll so row `index` is in view, moving as little as possible; null when it already is. */
export function scrollFor(
  index: number,
  scrollTop: number,
  viewport: number,
  rowHeight: number,
): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewport) return top + rowHeight - viewport;
  return null;
}

export interface RowWindow {
  /**
   * The rows to draw, by slot (./slotRows): position k holds the row drawn in slot k, or -1. A new array only
   * when the window moves; drawn with Solid's `<Index>`, a slot's elements stay and only the slots whose row
   * changed update.
   */
  slots: () => number[];
  totalHeight: () => number;
  scrollToIndex(index: number): void;
}

export function createRowWindow(options: {
  count: () => number;
  /** One height for every row; a function when it changes with the layout (two-line rows in portrait). */
  rowHeight: number | (() => number);
  overscan: number;
  scroller: () => HTMLElement;
}): RowWindow {
  const { overscan } = options;
  const height = options.rowHeight;
  const rowHeight = typeof height === "function" ? height : () => height;
  const [scrollTop, setScrollTop] = createSignal(0);
  // Until the list is measured, assume it fills the screen (the first paint then has its rows).
  const [viewport, setViewport] = createSignal(typeof window === "undefined" ? 800 : window.innerHeight);

  onMount(() => {
    const el = options.scroller();
    const onScroll = () => setScrollTop(el.scrollTop);
    el.addEventListener("scroll", onScroll, { passive: true });
    const resize = new ResizeObserver(() => setViewport(el.clientHeight));
    resize.observe(el);
    setViewport(el.clientHeight || viewport());
    onCleanup(() => {
      el.removeEventListener("scroll", onScroll);
      resize.disconnect();
    });
  });

  const range = createMemo<RowRange>(
    () => rowRange(scrollTop(), viewport(), options.count(), rowHeight(), overscan),
    { start: 0, end: 0 },
    { equals: (a, b) => a.start === b.start && a.end === b.end },
  );

  // The window's rows from its first, one more when the rows line up with the viewport (slotCount allows
  // for a part-row at each edge), so no slot empties and refills as the list moves.
  const slots = createMemo(() =>
    slotRows(range().start, slotCount(viewport(), rowHeight(), overscan), options.count()),
  );

  return {
    slots,
    totalHeight: () => options.count() * rowHeight(),
    scrollToIndex(index) {
      const el = options.scroller();
      const to = scrollFor(index, el.scrollTop, el.clientHeight || viewport(), rowHeight());
      if (to !== null) {
        el.scrollTop = to;
        setScrollTop(el.scrollTop);
      }
    },
  };
}
