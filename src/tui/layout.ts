// Where the four panes go for a terminal size. Heights are computed here, not left to flexbox, so
// the frame is never taller than the terminal (a taller frame makes Ink clear the screen on every
// update). Below 120×30 the panes stack; from there, Teammates and Alerts share the top row.
import type { PaneId } from './pane-ids.js';

export interface PaneRect {
  pane: PaneId;
  width: number;
  /** Content rows, including the column header row; the title line is extra. */
  rows: number;
}

export interface Layout {
  width: number;
  height: number;
  /** Rows of panes, top to bottom; a row holds one or two panes side by side. */
  rows: PaneRect[][];
  wide: boolean;
}

export const HEADER_LINES = 1;
export const FOOTER_LINES = 1;

/**
 * `demand` is how many content rows each pane could use (its items + 1 header row).
 * Space is shared so small panes are not padded while the mailbox absorbs the rest.
 */
export function computeLayout(width: number, height: number, demand: Record<PaneId, number>, focus: PaneId): Layout {
  const avail = Math.max(0, height - HEADER_LINES - FOOTER_LINES);
  const wide = width >= 120 && height >= 30;
  if (avail < 12) {
    // Tiny terminal: only the focused pane.
    return { width, height, wide: false, rows: [[{ pane: focus, width, rows: Math.max(0, avail - 1) }]] };
  }
  if (!wide) {
    const order: PaneId[] = ['teammates', 'tasks', 'mailbox', 'alerts'];
    const heights = share(avail - order.length, order.map((p) => demand[p]), order.indexOf(focus), order.indexOf('mailbox'));
    return { width, height, wide, rows: order.map((p, i) => [{ pane: p, width, rows: heights[i]! }]) };
  }
  const topDemand = Math.max(demand.teammates, demand.alerts);
  const [top, tasks, mailbox] = share(
    avail - 3,
    [topDemand, demand.tasks, demand.mailbox],
    focus === 'teammates' || focus === 'alerts' ? 0 : focus === 'tasks' ? 1 : 2,
    2,
  ) as [number, number, number];
  // Halves: the alerts' summaries need the room as much as the teammates' tasks.
  const leftW = Math.floor((width - 1) / 2);
  const rightW = width - 1 - leftW;
  return {
    width, height, wide,
    rows: [
      [{ pane: 'teammates', width: leftW, rows: top }, { pane: 'alerts', width: rightW, rows: top }],
      [{ pane: 'tasks', width, rows: tasks }],
      [{ pane: 'mailbox', width, rows: mailbox }],
    ],
  };
}

/**
 * Splits `total` rows among slots: each gets at least min(3, fair share), then rows go one at a
 * time to slots still short of their demand (the focused slot first), and what is left goes to
 * `sink`.
 */
function share(total: number, demand: number[], focused: number, sink: number): number[] {
  const n = demand.length;
  const floor = Math.max(1, Math.min(3, Math.floor(total / n)));
  const h = demand.map(() => floor);
  let left = total - floor * n;
  if (left < 0) {
    // Not even the floor fits: give what there is, top down.
    const out = demand.map(() => 0);
    let t = total;
    for (let i = 0; i < n && t > 0; i++) { out[i] = Math.min(floor, t); t -= out[i]!; }
    return out;
  }
  let progress = true;
  while (left > 0 && progress) {
    progress = false;
    for (const i of [focused, ...demand.keys()]) {
      if (left === 0) break;
      if (h[i]! < demand[i]!) { h[i]!++; left--; progress = true; }
    }
  }
  h[sink]! += left;
  return h;
}
