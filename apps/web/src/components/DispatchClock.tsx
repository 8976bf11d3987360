import type { Order } from "@consign/domain";
import { createMemo } from "solid-js";
import { cutoffToday, formatCountdown, formatTime, warehouseClock } from "../lib/clock.ts";
import { now } from "../lib/now.ts";
import { type DispatchClockFigures, dispatchFigures } from "../lib/views.ts";

/** "Dispatch by 17:00 — 42 left, 3 late, 2 miss today's collection", with the time to the courier's collection. */
export function DispatchClock(props: {
  orders: () => Iterable<Order>;
  cutoff: string;
  /** Figures to show instead (the kept first screen's, until the live document has loaded). */
  kept?: () => DispatchClockFigures | null;
}) {
  const live = createMemo(() => dispatchFigures(props.orders(), warehouseClock(now()), props.cutoff));
  const figures = () => props.kept?.() ?? live();
  const cutoffAt = () => cutoffToday(warehouseClock(now()), props.cutoff);
  return (
    <div class="dispatch-clock" data-testid="dispatch-clock" role="status" aria-live="polite">
      <strong>Dispatch by {formatTime(cutoffAt())}</strong>
      <span>
        {" — "}
        {figures().left} left
        {figures().late > 0 ? <span class="late-count">, {figures().late} late</span> : ""}
        {figures().missCollection > 0 ? (
          <span class="late-count" data-testid="miss-collection">
            , {figures().missCollection} miss today's collection
          </span>
        ) : (
          ""
        )}
      </span>
      <span class="muted">
        {cutoffAt() > now() ? ` (${formatCountdown(cutoffAt() - now())} to go)` : " (collection time passed)"}
      </span>
    </div>
  );
}
