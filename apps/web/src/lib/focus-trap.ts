// Modal panels take focus, keep Tab and Shift+Tab inside, and give focus back to where it was when
// they close (WAI-ARIA dialog pattern).

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.offsetParent !== null || el === document.activeElement,
  );
}

/** Moves focus into `container` and keeps it there; the returned function releases it and restores focus. */
export function trapFocus(
  container: HTMLElement,
  initial?: () => HTMLElement | null | undefined,
): () => void {
  const before = document.activeElement as HTMLElement | null;
  const first = initial?.() ?? focusables(container)[0] ?? container;
  if (first === container && !container.hasAttribute("tabindex")) container.tabIndex = -1;
  first.focus();
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== "Tab") return;
    const items = focusables(container);
    if (items.length === 0) {
      e.preventDefault();
      container.focus();
      return;
    }
    const firstItem = items[0] as HTMLElement;
    const lastItem = items[items.length - 1] as HTMLElement;
    const active = document.activeElement as HTMLElement | null;
    if (!active || !container.contains(active)) {
      e.preventDefault();
      firstItem.focus();
    } else if (e.shiftKey && (active === firstItem || active === container)) {
      e.preventDefault();
      lastItem.focus();
    } else if (!e.shiftKey && active === lastItem) {
      e.preventDefault();
      firstItem.focus();
    }
  };
  // Focus that escapes (a click on the page behind) is brought back.
  let last: HTMLElement | null = document.activeElement as HTMLElement | null;
  const onFocusIn = (e: FocusEvent) => {
    if (container.contains(e.target as Node)) last = e.target as HTMLElement;
    else (focusables(container)[0] ?? container).focus();
  };
  // The live document redraws parts of a panel while someone works in it (another tablet's change,
  // a new order): when the focused element is replaced, focus would fall to the page. It goes to
  // the element that took its place (same id or test id), or else stays in the panel.
  const observer = new MutationObserver(() => {
    if (!last || last.isConnected) return;
    const active = document.activeElement;
    if (active && active !== document.body && container.contains(active)) return;
    const key = last.id
      ? `#${CSS.escape(last.id)}`
      : last.dataset.testid
        ? `[data-testid="${CSS.escape(last.dataset.testid)}"]`
        : null;
    const same = key ? container.querySelector<HTMLElement>(key) : null;
    (same ?? focusables(container)[0] ?? container).focus();
  });
  observer.observe(container, { childList: true, subtree: true });
  document.addEventListener("keydown", onKey, true);
  document.addEventListener("focusin", onFocusIn);
  return () => {
    observer.disconnect();
    document.removeEventListener("keydown", onKey, true);
    document.removeEventListener("focusin", onFocusIn);
    if (before?.isConnected) before.focus();
  };
}
