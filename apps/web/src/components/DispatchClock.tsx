import {
  type CourierClockLine,
  courierLines,
  type DispatchCutoffs,
  type DispatchFacts,
} from "@consign/domain";
import { createMemo, For, Show } from "solid-js";
import { formatCountdown, formatTime, warehouseClock } from "../lib/clock.ts";
import { now } from "../lib/now.ts";
import { type DispatchClockFigures, dispatchFiguresOf } from "../lib/views.ts";

/**
 * "Due today — 42 left, 3 late, 2 miss their collection", then a line per courier the team uses:
 * "Royal Mail: cut-off 17:00 (1 h 20 m left) · collected 17:30 · 12 ready". Each order is read
 * against its own courier's cut-off (the API's shipBy.risk says the same); times on the room's clock.
 */
export function DispatchClock(props: {
  /** Every order's dispatch facts (the orders store keeps them per changed order). */
  facts: () => Iterable<DispatchFacts>;
  cutoffs: DispatchCutoffs;
  /** Figures to show instead (the kept first screen's, until the live document has loaded). */
  kept?: () => DispatchClockFigures | null;
  /** The kept first screen's courier lines, shown until the live document has loaded. */
  keptCouriers?: () => CourierClockLine[] | null;
}) {
  const live = createMemo(() => dispatchFiguresOf(props.facts(), warehouseClock(now()), props.cutoffs));
  const figures = () => props.kept?.() ?? live();
  const liveCouriers = createMemo(() => courierLines(props.facts(), now(), props.cutoffs.couriers));
  const couriers = () => props.keptCouriers?.() ?? liveCouriers();
  return (
    <div class="dispatch-clock" data-testid="dispatch-clock" role="status" aria-live="polite">
      <div>
        <strong>Due today</strong>
        <span>
          {" — "}
          {figures().left} left
          {figures().late > 0 ? <span class="late-count">, {figures().late} late</span> : ""}
          {figures().missCollection > 0 ? (
            <span class="late-count" data-testid="miss-collection">
              , {figures().missCollection} miss their collection
            </span>
          ) : (
            ""
          )}
        </span>
      </div>
      <Show when={couriers().length > 0}>
        <ul class="courier-clock" aria-label="Each courier's cut-off">
          <For each={couriers()}>{(line) => <CourierLine line={line} />}</For>
        </ul>
      </Show>
    </div>
  );
}

function CourierLine(props: { line: CourierClockLine }) {
  const left = () => props.line.cutoffAt - now();
  const handover = () =>
    props.line.handover === "collection"
      ? `collected ${formatTime(props.line.handoverAt)}`
      : `drop off by ${formatTime(props.line.handoverAt)}`;
  return (
    <li
      data-testid={`courier-clock-${props.line.courier}`}
      classList={{ "cutoff-soon": left() > 0 && left() < 3_600_000, "cutoff-passed": left() <= 0 }}
    >
      <strong>{props.line.name}</strong>
      {": cut-off "}
      {formatTime(props.line.cutoffAt)}{" "}
      <span data-testid="cutoff-left">
        {left() > 0 ? `(${formatCountdown(left())} left)` : "(passed: next collection tomorrow)"}
      </span>
      {` · ${handover()} · `}
      <span data-testid="courier-ready">{props.line.ready} ready</span>
      {props.line.late > 0 ? <span class="late-count">{` · ${props.line.late} late`}</span> : ""}
      {props.line.missCollection > 0 ? (
        <span class="late-count">{` · ${props.line.missCollection} miss it`}</span>
      ) : (
        ""
      )}
    </li>
  );
}
