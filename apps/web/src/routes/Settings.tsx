import { Show } from "solid-js";
import { Section } from "../components/Section.tsx";
import { Account } from "../components/settings/Account.tsx";
import { Connections } from "../components/settings/Connections.tsx";
import { DevicePrinter } from "../components/settings/DevicePrinter.tsx";
import { Dispatch } from "../components/settings/Dispatch.tsx";
import { EndOfDaySettings } from "../components/settings/EndOfDaySettings.tsx";
import { Integrations } from "../components/settings/Integrations.tsx";
import { ReturnsList } from "../components/settings/ReturnsList.tsx";
import { ReviewRequests } from "../components/settings/ReviewRequests.tsx";
import { RulesEditor } from "../components/settings/RulesEditor.tsx";
import { Stock } from "../components/settings/Stock.tsx";
import { Team } from "../components/settings/Team.tsx";
import { Warehouse } from "../components/settings/Warehouse.tsx";
import { role } from "../lib/session.ts";
import { workspace } from "../lib/workspace.ts";
import "../styles/settings.css";

export default function SettingsScreen() {
  const owner = () => role() === "owner";
  return (
    <div class="settings">
      <h1>Settings</h1>
      <Account />
      <Show when={owner()}>
        <Section name="Team">
          <Team />
        </Section>
        <Section name="Amazon and couriers">
          <Connections />
        </Section>
      </Show>
      <Show when={workspace()}>{(ws) => <Warehouse ws={ws()} readOnly={!owner()} />}</Show>
      <DevicePrinter />
      <Show when={workspace()}>{(ws) => <Dispatch ws={ws()} readOnly={!owner()} />}</Show>
      <Show when={workspace()}>{(ws) => <EndOfDaySettings ws={ws()} readOnly={!owner()} />}</Show>
      <Show when={owner()}>
        <Section name="Delivery rules">
          <RulesEditor />
        </Section>
        <Section name="Review requests">
          <ReviewRequests />
        </Section>
        <Section name="Integrations">
          <Integrations />
        </Section>
      </Show>
      <Section name="Returns">
        <ReturnsList />
      </Section>
      <Section name="Stock">
        <Stock canEdit={role() === "owner" || role() === "packer"} canEditCustoms={role() === "owner"} />
      </Section>
    </div>
  );
}
