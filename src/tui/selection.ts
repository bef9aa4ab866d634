// Keeping the selection on the same item when a pane's list changes under it (an acknowledged
// alert comes back, a row is inserted above): each pane's selected item is known by its key; when
// the list changed but the user did not move, the item is looked up by key in the new list.
import type { Message, Task, Teammate } from '../model/types.js';
import type { Alert } from '../alerts/types.js';
import type { PaneLists } from './derive.js';
import type { PaneId } from './pane-ids.js';

type Item = Teammate | Task | Message | Alert;

/** The identity of a row's item, per pane. */
export function itemKey(pane: PaneId, x: Item): string {
  switch (pane) {
    case 'mailbox': {
      const m = x as Message;
      return `${m.sequence}\u0000${m.timestamp ?? ''}\u0000${m.from ?? ''}`;
    }
    default: return (x as { id: string }).id;
  }
}

/** What was selected in a pane at the last frame. */
export interface Seen {
  team: string | undefined;
  list: readonly Item[];
  selected: number;
  key: string | null;
  /** Where the list starts in the whole (the mailbox: older pages prepended move it, and the move that loaded them places the selection itself). */
  base: number;
}

/**
 * Where the previously selected item now is, when the list changed under an unmoved selection and
 * the item is still there at another row; else null (keep the row).
 */
export function movedItem(pane: PaneId, prev: Seen | undefined, team: string | undefined, lists: PaneLists, selected: number, base = 0): number | null {
  const list = lists[pane] as readonly Item[];
  if (!prev || prev.key === null || prev.team !== team || prev.list === list || prev.selected !== selected || prev.base !== base) return null;
  const at = list[selected];
  if (at !== undefined && itemKey(pane, at) === prev.key) return null;
  const i = list.findIndex((x) => itemKey(pane, x) === prev.key);
  return i >= 0 && i !== selected ? i : null;
}

export function seenNow(pane: PaneId, team: string | undefined, lists: PaneLists, selected: number, base = 0): Seen {
  const list = lists[pane] as readonly Item[];
  const at = list[selected];
  return { team, list, selected, key: at === undefined ? null : itemKey(pane, at), base };
}

/** The row a detail view shows: its item's, wherever it is now; -1 when the item is gone. */
export function detailIndex(o: { pane: PaneId; index: number; key?: string }, lists: PaneLists): number {
  if (o.key === undefined) return o.index;
  const list = lists[o.pane] as readonly Item[];
  const at = list[o.index];
  if (at !== undefined && itemKey(o.pane, at) === o.key) return o.index;
  return list.findIndex((x) => itemKey(o.pane, x) === o.key);
}
