import { createResource, createSignal, For, Show } from "solid-js";
import * as api from "../../lib/api.ts";
import { formatDateTime } from "../../lib/clock.ts";
import { FormError } from "../FormError.tsx";

/** Owner only: members and their roles, invite codes, devices signed in. */
export function Team() {
  const [team, { refetch }] = createResource(api.getTeam);
  const [error, setError] = createSignal<unknown>(null);
  const [invite, setInvite] = createSignal<{ code: string; expiresAt: number } | null>(null);
  const [inviteRole, setInviteRole] = createSignal<api.Role>("packer");
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try {
      await f();
      void refetch();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section class="card" aria-labelledby="s-team" data-testid="team">
      <h2 id="s-team">Team</h2>
      <FormError error={error() ?? team.error} />
      <Show when={team()}>
        {(t) => (
          <>
            <table class="table">
              <caption class="visually-hidden">Members</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={t().members}>
                  {(m) => (
                    <tr data-testid="member">
                      <td>{m.name}</td>
                      <td>{m.email}</td>
                      <td>
                        <select
                          aria-label={`Role of ${m.name}`}
                          value={m.role}
                          onChange={(e) =>
                            void act(() => api.changeRole(m.userId, e.currentTarget.value as api.Role))
                          }
                        >
                          <option value="owner">Owner</option>
                          <option value="packer">Packer</option>
                          <option value="viewer">Viewer</option>
                        </select>
                      </td>
                      <td>
                        <button
                          type="button"
                          class="danger"
                          onClick={() => {
                            if (confirm(`Remove ${m.name} from the team? Their devices are signed out.`)) {
                              void act(() => api.removeMember(m.userId));
                            }
                          }}
                        >
                          Remove {m.name}
                        </button>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <h3>Devices signed in</h3>
            <ul class="plain">
              <For each={t().devices}>
                {(d) => (
                  <li data-testid="device">
                    <span>
                      <strong>{d.deviceName}</strong> —{" "}
                      {t().members.find((m) => m.userId === d.userId)?.name ?? d.userId}
                      {d.lastSeenAt ? `, last seen ${formatDateTime(d.lastSeenAt)}` : ""}
                      {d.current ? " (this device)" : ""}
                    </span>
                    <Show when={!d.current}>
                      <button type="button" onClick={() => void act(() => api.removeDevice(d.sessionId))}>
                        Sign out {d.deviceName}
                      </button>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </>
        )}
      </Show>
      <h3>Invite someone</h3>
      <div class="row">
        <label class="field inline">
          <span>Role</span>
          <select value={inviteRole()} onChange={(e) => setInviteRole(e.currentTarget.value as api.Role)}>
            <option value="packer">Packer</option>
            <option value="viewer">Viewer</option>
            <option value="owner">Owner</option>
          </select>
        </label>
        <button
          type="button"
          class="primary"
          onClick={() => void act(async () => setInvite(await api.invite(inviteRole())))}
        >
          Create invite code
        </button>
      </div>
      <Show when={invite()}>
        {(i) => (
          <p class="invite" role="status">
            Invite code: <strong data-testid="invite-code">{i().code}</strong> — valid until{" "}
            {formatDateTime(i().expiresAt < 1e12 ? i().expiresAt * 1000 : i().expiresAt)}. They open Consign,
            choose “Join with invite code” and type it in.
          </p>
        )}
      </Show>
    </section>
  );
}
