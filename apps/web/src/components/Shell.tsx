import { For, type JSX, Show } from "solid-js";
import { currentPath, linkClick } from "../lib/router.ts";
import { currentSeller, session, switchSeller } from "../lib/session.ts";
import { SyncChip } from "./SyncChip.tsx";

const NAV = [
  { href: "/", label: "Orders" },
  { href: "/scan", label: "Scan" },
  { href: "/metrics", label: "Metrics" },
  { href: "/settings", label: "Settings" },
];

export function Shell(props: { children: JSX.Element }) {
  const active = (href: string) => (href === "/" ? currentPath() === "/" : currentPath().startsWith(href));
  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">Consign</span>
        <nav aria-label="Main">
          <For each={NAV}>
            {(item) => (
              <a href={item.href} onClick={linkClick} aria-current={active(item.href) ? "page" : undefined}>
                {item.label}
              </a>
            )}
          </For>
        </nav>
        <div class="topbar-right">
          <Show
            when={(session()?.memberships.length ?? 0) > 1}
            fallback={<span class="seller-name">{currentSeller()?.sellerName}</span>}
          >
            <label class="seller-switch">
              <span class="visually-hidden">Seller</span>
              <select
                aria-label="Seller"
                value={session()?.sellerId ?? ""}
                onChange={(e) => switchSeller(e.currentTarget.value)}
              >
                <For each={session()?.memberships}>
                  {(m) => <option value={m.sellerId}>{m.sellerName}</option>}
                </For>
              </select>
            </label>
          </Show>
          <SyncChip />
        </div>
      </header>
      <main id="main">{props.children}</main>
    </div>
  );
}
