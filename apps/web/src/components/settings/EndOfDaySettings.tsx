import { COURIER_NAMES, COURIER_ORDER, type CourierHandover, type CourierId } from "@consign/domain";
import { createSignal, For } from "solid-js";
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
      <CourierTimes ws={props.ws} readOnly={props.readOnly} />
      <p role="status" class="muted">
        {saved()}
      </p>
      <p role="alert" class="form-error">
        {error()}
      </p>
    </section>
  );
}

/**
 * Each courier's cut-off and collection or drop-off (UK time): what the dispatch clock counts down to
 * and what each order's late risk is read against. Saved together; the room checks every time.
 */
function CourierTimes(props: { ws: Workspace; readOnly: boolean }) {
  const settings = courierDaySignal(props.ws.live.doc);
  const [error, setError] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal<string | null>(null);
  async function save(form: HTMLFormElement) {
    setError(null);
    setSaved(null);
    const data = new FormData(form);
    const couriers: Partial<Record<CourierId, CourierHandover>> = {};
    for (const courier of COURIER_ORDER) {
      couriers[courier] = {
        cutoff: String(data.get(`${courier}-cutoff`) ?? ""),
        handoverAt: String(data.get(`${courier}-handover-at`) ?? ""),
        handover: data.get(`${courier}-handover`) === "drop_off" ? "drop_off" : "collection",
      };
    }
    try {
      await patchCourierDay({ couriers });
      setSaved("Saved: the dispatch clock counts down to each courier's cut-off.");
    } catch (e) {
      setError(`Not saved: ${(e as Error).message}`);
    }
  }
  return (
    <form
      class="courier-times"
      data-testid="courier-times"
      onSubmit={(e) => {
        e.preventDefault();
        void save(e.currentTarget);
      }}
    >
      <h3>Each courier's cut-off and collection (UK time)</h3>
      <p class="muted">
        Orders packed by a courier's cut-off go with its collection that day; an order whose ship-by comes
        before its courier's next cut-off is shown at risk.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Courier</th>
            <th scope="col">Cut-off</th>
            <th scope="col">Handed over</th>
            <th scope="col">At</th>
          </tr>
        </thead>
        <tbody>
          <For each={COURIER_ORDER}>
            {(courier) => {
              const times = () => settings().couriers[courier];
              return (
                <tr data-testid={`courier-times-${courier}`}>
                  <th scope="row">{COURIER_NAMES[courier]}</th>
                  <td>
                    <input
                      type="time"
                      name={`${courier}-cutoff`}
                      aria-label={`${COURIER_NAMES[courier]} cut-off`}
                      value={times().cutoff}
                      required
                      disabled={props.readOnly}
                    />
                  </td>
                  <td>
                    <select
                      name={`${courier}-handover`}
                      aria-label={`How ${COURIER_NAMES[courier]} parcels are handed over`}
                      disabled={props.readOnly}
                    >
                      <option value="collection" selected={times().handover === "collection"}>
                        Collected
                      </option>
                      <option value="drop_off" selected={times().handover === "drop_off"}>
                        Dropped off
                      </option>
                    </select>
                  </td>
                  <td>
                    <input
                      type="time"
                      name={`${courier}-handover-at`}
                      aria-label={`${COURIER_NAMES[courier]} collection or drop-off time`}
                      value={times().handoverAt}
                      required
                      disabled={props.readOnly}
                    />
                  </td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
      <button type="submit" disabled={props.readOnly}>
        Save courier times
      </button>
      <p role="status" class="muted" data-testid="courier-times-saved">
        {saved()}
      </p>
      <p role="alert" class="form-error" data-testid="courier-times-error">
        {error()}
      </p>
    </form>
  );
}
