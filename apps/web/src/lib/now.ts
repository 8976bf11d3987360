// One ticking clock for countdowns (every 30 s is plenty for "2 h 05 m"), on the seller's time:
// the device's clock plus the offset learnt from the room (room-clock.ts), so the dispatch clock
// and the API's shipBy.risk read the same time.
import { createRoot, createSignal } from "solid-js";

const clock = createRoot(() => {
  const [t, setT] = createSignal(Date.now());
  const [offset, setOffset] = createSignal(0);
  setInterval(() => setT(Date.now()), 30_000);
  return {
    now: () => t() + offset(),
    exact: () => Date.now() + offset(),
    setOffset,
    tick: () => setT(Date.now()),
  };
});

/** The seller's time now (epoch ms), ticking every 30 s. */
export const now = clock.now;

/** The seller's time this millisecond (for a timestamp or a report, not for a ticking view). */
export const roomTime = clock.exact;

/** The room's clock is `ms` ahead of this device's (behind when negative). */
export function setRoomOffset(ms: number): void {
  clock.setOffset(ms);
  clock.tick();
}
