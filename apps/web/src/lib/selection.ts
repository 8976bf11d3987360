// Multi-select over an ordered list: click toggles, shift-click selects the range from the last click,
// "select all matching" takes every id in the current list.

export class Selection {
  readonly ids = new Set<string>();
  private anchor: string | null = null;

  toggle(id: string): void {
    if (this.ids.has(id)) this.ids.delete(id);
    else this.ids.add(id);
    this.anchor = id;
  }

  /** Shift-click: select everything between the anchor and `id` in the list as shown. */
  extend(id: string, list: readonly string[]): void {
    const from = this.anchor === null ? -1 : list.indexOf(this.anchor);
    const to = list.indexOf(id);
    if (from < 0 || to < 0) {
      this.toggle(id);
      return;
    }
    const [lo, hi] = from < to ? [from, to] : [to, from];
    for (let i = lo; i <= hi; i++) this.ids.add(list[i]!);
    this.anchor = id;
  }

  selectAll(list: readonly string[]): void {
    for (const id of list) this.ids.add(id);
  }

  clear(): void {
    this.ids.clear();
    this.anchor = null;
  }

  /** Drops ids no longer present (an order archived or removed). */
  retain(exists: (id: string) => boolean): void {
    for (const id of this.ids) if (!exists(id)) this.ids.delete(id);
  }
}

/**
 * "Select the next N ready": the first `n` ids of the list, in the order shown, that are eligible and
 * not selected yet. One tap on a tablet instead of N precise ones.
 */
export function nextToSelect(
  list: readonly string[],
  selected: ReadonlySet<string>,
  n: number,
  eligible: (id: string) => boolean,
): string[] {
  const out: string[] = [];
  for (const id of list) {
    if (out.length >= n) break;
    if (!selected.has(id) && eligible(id)) out.push(id);
  }
  return out;
}
