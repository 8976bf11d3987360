import { createSignal } from "solid-js";
import { courierDaySignal, patchCourierDay } from "../../lib/courier-day.ts";
import type { Workspace } from "../../lib/workspace.ts";

/** The owner's automatic end of day (UK time) for the Royal Mail manifest. */
export function EndOfDaySettings(props: { ws: Workspace; readOnly: boolean }) {
  const settings = courierDaySignal(props.ws.live.doc);
  const [error, setError] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal<string | null>(null);
  async function saveFailover(input: HTMLInputElement) {
    setError(null);
    setSaved(null);
    try {
      const next = await patchCourierDay({ failover: input.checked });
      setSaved(
        next.failover
          ? "Saved: while a courier is down, labels go with the next service your rules allow."
          : "Saved: labels wait for their own courier, even when it is down.",
      );
    } catch (e) {
      input.checked = settings().failover;
      setError(`Not saved: ${(e as Error).message}`);
    }
  }
  async function save(autoCloseAt: string | null) {
    setError(null);
    setSaved(null);
    try {
      const next = await patchCourierDay({ autoCloseAt });
      setSaved(
        next.autoCloseAt
          ? `Saved: the day closes with Royal Mail by itself at ${next.autoCloseAt} (UK time).`
          : "Saved: the day closes only when someone presses Close the day.",
      );
    } catch (e) {
      setError(`Not saved: ${(e as Error).message}`);
    }
  }
  return (
    <section class="card" aria-labelledby="s-end-of-day" data-testid="end-of-day-settings">
      <h2 id="s-end-of-day">End of day</h2>
      <label>
        Close the day with Royal Mail by itself at (UK time){" "}
        <input
          type="time"
          data-testid="auto-close-at"
          value={settings().autoCloseAt ?? ""}
          disabled={props.readOnly}
          onChange={(e) => void save(e.currentTarget.value || null)}
        />
      </label>
      <label class="check">
        <input
          type="checkbox"
          data-testid="failover"
          checked={settings().failover}
          disabled={props.readOnly}
          onChange={(e) => void saveFailover(e.currentTarget)}
        />{" "}
        When a courier stops answering, send labels with the next service my rules allow
      </label>
      <p class="muted">
        At that time Consign puts every Royal Mail label bought since the last manifest on one Click &amp;
        Drop manifest, as pressing Close the day does. Leave it empty to close only by hand.
        {props.readOnly ? " Only the account owner can change this." : ""}
      </p>
      <p role="status" class="muted">
        {saved()}
      </p>
      <p role="alert" class="form-error">
        {error()}
      </p>
    </section>
  );
}
