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

/**
 * The team's settings kept in the document are shown once this device's copy has loaded: a form drawn before
 * would show the defaults, and what a person typed into it would be overwritten (or outrun) by the stored
 * values arriving a moment later (the copy loads in the document worker, ../lib/doc-link.ts).
 */
function SettingsLoading() {
  return (
    <section class="card">
      <p class="muted" role="status">
        Loading the team's settings held on this device…
      </p>
    </section>
  );
}

export default function SettingsScreen() {
  const owner = () => role() === "owner";
  const loaded = () => {
    const ws = workspace();
    return ws?.live.loaded() ? ws : undefined;
  };
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
      <Show when={loaded()} fallback={<SettingsLoading />}>
        {(ws) => <Warehouse ws={ws()} readOnly={!owner()} />}
      </Show>
      <DevicePrinter />
      <Show when={loaded()}>{(ws) => <Dispatch ws={ws()} readOnly={!owner()} />}</Show>
      <Show when={loaded()}>{(ws) => <EndOfDaySettings ws={ws()} readOnly={!owner()} />}</Show>
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
