import {
  type ChosenService,
  COURIER_SERVICES,
  type CourierId,
  isWorkable,
  type Order,
} from "@consign/domain";
import { For, Show } from "solid-js";

/** "royal-mail|TPN24", or "" for "as the rules choose". */
const serviceValue = (s: ChosenService | undefined) =>
  s?.source === "override" ? `${s.courier}|${s.serviceCode}` : "";

/**
 * The order's service chosen by hand, before its label is bought: kept when the rules change, until
 * "As the shipping rules choose" hands it back (the room works it out again at once).
 */
export function ServicePicker(props: {
  order: Order;
  readOnly: boolean;
  onChange(service: ChosenService | null): void;
}) {
  const change = (value: string) => {
    if (!value) return props.onChange(null);
    const [courier, serviceCode] = value.split("|") as [CourierId, string];
    props.onChange({ courier, serviceCode, source: "override" });
  };
  return (
    <Show when={isWorkable(props.order) && !props.readOnly}>
      <label class="field small">
        <span>Service for this order</span>
        <select
          data-testid="service-override"
          value={serviceValue(props.order.service)}
          onChange={(e) => change(e.currentTarget.value)}
        >
          <option value="">As the shipping rules choose</option>
          <For each={Object.entries(COURIER_SERVICES)}>
            {([courier, services]) => (
              <For each={services}>
                {(s) => <option value={`${courier}|${s.serviceCode}`}>{s.name}</option>}
              </For>
            )}
          </For>
        </select>
      </label>
    </Show>
  );
}
