// Moving through the mailbox past what is loaded: the move waits for a page read from disk. The
// move is kept in the view state while it waits (PendingMove: how far past the loaded list's edge
// it goes), every key pressed meanwhile adds to it or takes from it, and when a page arrives the
// move lands — or, still past the new edge, asks for the next page. So a burst of keys lands where
// the keys say, across as many pages as it takes, and no key is lost or counted twice.

/**
 * A move past the loaded messages. `older`: `rows` above the first loaded one; with `top` (g), the
 * very first message of the mailbox, then `rows` down. `newer`: `rows` below the last loaded one.
 */
export interface PendingMove { dir: 'older' | 'newer'; top: boolean; rows: number }

/** The page a pending move needs read: before the list (from the very start with `top`), or after it. */
export type PageIntent = { kind: 'older'; top: boolean } | { kind: 'newer' };

/** What a page read brought (or that none came: it was not wanted any more, or there was none). */
export type PageArrival =
  /**
   * `count` messages put before the list (`top`: the mailbox's first page, replacing it); the list
   * now starts at `start`; `detached`: it stops before the newest (there are more after it).
   */
  | { dir: 'older'; count: number; top: boolean; start: number; total: number; detached: boolean }
  /** `count` put after the list and its first `cut` let go; `detached`: there are more after it. */
  | { dir: 'newer'; count: number; cut: number; total: number; detached: boolean }
  /** No page: it was not wanted any more (`again`: the list changed under it, read anew), or there is none. */
  | { dir: 'none'; total: number; again: boolean };

export const intentFor = (p: PendingMove): PageIntent => (p.dir === 'older' ? { kind: 'older', top: p.top } : { kind: 'newer' });

/**
 * A key that moves `delta` rows (down positive) while `p` waits: the move, updated, or — once it
 * no longer goes past the edge — the row of the loaded list (`count` rows) it lands on. Above the
 * list there are `before` messages: a move up stops at the first (keys after it count from there).
 */
export function keyWhilePending(p: PendingMove, delta: number, count: number, before = Infinity): { pending: PendingMove } | { select: number } {
  if (p.dir === 'older' && p.top) return { pending: { ...p, rows: Math.max(0, p.rows + delta) } };
  if (p.dir === 'older') {
    const rows = Math.min(before, p.rows - delta);
    return rows > 0 ? { pending: { ...p, rows } } : { select: Math.min(Math.max(0, count - 1), -rows) };
  }
  const rows = p.rows + delta;
  return rows > 0 ? { pending: { ...p, rows } } : { select: Math.max(0, count - 1 + rows) };
}

/**
 * A page arrived while the selection is at `sel`: where it goes, what still waits, and the page to
 * read next. Without a move waiting the selected message stays selected (it moved by what came
 * before it, or went with what was let go).
 */
export function afterPage(p: PendingMove | null, sel: number, a: PageArrival): { select: number; pending: PendingMove | null; intent: PageIntent | null } {
  const last = Math.max(0, a.total - 1);
  if (a.dir === 'none') return p && a.again ? { select: sel, pending: p, intent: intentFor(p) } : { select: Math.min(sel, last), pending: null, intent: null };
  if (a.dir === 'older') {
    if (!p || p.dir !== 'older') return { select: a.top ? 0 : sel + a.count, pending: p, intent: p ? intentFor(p) : null };
    if (p.top) {
      // A page of the middle came first (the read asked for before g): the first page is next.
      if (a.start > 0) return { select: 0, pending: p, intent: intentFor(p) };
      // Keys that went past this first page's end go on into the pages after it.
      if (p.rows > last && a.detached) return { select: last, pending: { dir: 'newer', top: false, rows: p.rows - last }, intent: { kind: 'newer' } };
      return { select: Math.min(p.rows, last), pending: null, intent: null };
    }
    const target = (a.top ? 0 : a.count) - p.rows;
    if (target >= 0 || a.start === 0) return { select: Math.max(0, target), pending: null, intent: null };
    return { select: 0, pending: { ...p, rows: -target }, intent: intentFor(p) };
  }
  if (!p || p.dir !== 'newer') return { select: Math.max(0, sel - a.cut), pending: p, intent: p ? intentFor(p) : null };
  const target = sel - a.cut + p.rows;
  if (target <= last || !a.detached) return { select: Math.min(target, last), pending: null, intent: null };
  return { select: last, pending: { ...p, rows: target - last }, intent: intentFor(p) };
}
