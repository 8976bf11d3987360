// A tiny history router: the app has a handful of top-level screens, not worth a dependency.

import { createSignal } from "solid-js";

const [location_, setLocation] = createSignal({
  path: window.location.pathname,
  search: window.location.search,
});
export const currentPath = () => location_().path;
export const currentSearch = () => new URLSearchParams(location_().search);

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  setLocation({ path: window.location.pathname, search: window.location.search });
}

addEventListener("popstate", () =>
  setLocation({ path: window.location.pathname, search: window.location.search }),
);

/** Click handler for in-app links: keeps modifier-clicks working as the browser intends. */
export function linkClick(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute("href") ?? "/");
}
