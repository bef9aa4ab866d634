// Moving through the mailbox past what is loaded (src/tui/mailbox-paging.ts): the tryout's cases,
// keys against the reducer and pages arriving as the source would bring them. A slice of history
// 1–500 of 5,000 messages, 16 rows a page.
import { describe, expect, it } from 'vitest';
import { initialViewState, pageArrived, reduce, type ViewContext, type ViewState } from '../src/tui/view-state.js';
import type { PageArrival } from '../src/tui/mailbox-paging.js';

const PAGE = 16;
const ctxOf = (count: number, older: boolean, newer: boolean, before?: number): ViewContext => ({
  counts: { teammates: 0, tasks: 0, mailbox: count, alerts: 0 }, pageSize: { teammates: 3, tasks: 3, mailbox: PAGE, alerts: 3 },
  teamCount: 1, olderMailbox: older, newerMailbox: newer, mailboxBefore: before,
});

/** A slice of history of `n` messages starting at message `from` (1-based) of 5,000, the selection on message `at`. */
function slice(from: number, n: number, at: number): { s: ViewState; list: { from: number; n: number } } {
  const s = reduce(initialViewState(), 'pane3', ctxOf(n, from > 1, true));
  return { s: { ...s, follow: false, selected: { ...s.selected, mailbox: at - from } }, list: { from, n } };
}

/** Keys, then pages read as asked (each the next 500 after the list, none let go), until nothing waits. */
function run(start: { s: ViewState; list: { from: number; n: number } }, keys: string[]): number {
  let { s } = start;
  let { from, n } = start.list;
  for (const k of keys) s = reduce(s, k as never, ctxOf(n, from > 1, from + n - 1 < 5000, from - 1));
  for (let guard = 0; s.pending && guard < 20; guard++) {
    const a: PageArrival = s.pending.dir === 'newer'
      ? { dir: 'newer', count: 500, cut: 0, total: n + 500, detached: from + n + 500 - 1 < 5000 }
      : s.pending.top ? { dir: 'older', count: 500, top: true, start: 0, total: 500, detached: true }
        : { dir: 'older', count: Math.min(500, from - 1), top: false, start: Math.max(0, from - 1 - 500), total: n + Math.min(500, from - 1), detached: from + n - 1 < 5000 };
    if (a.dir === 'newer') n += 500; else if (a.top) { from = 1; n = 500; } else { from -= a.count; n += a.count; }
    s = pageArrived(s, a, PAGE);
  }
  return from + s.selected.mailbox;
}

describe('a move past what is loaded lands where the keys say', () => {
  it('one PgDn from 497 lands on 513, not a page past the slice\'s end (516)', () => {
    expect(run(slice(1, 500, 497), ['pageDown'])).toBe(513);
  });
  it('70 PgDn from the first message land on 1121, across two pages read', () => {
    expect(run(slice(1, 500, 1), Array(70).fill('pageDown'))).toBe(1121);
  });
  it('1,200 j from the first message land on 1201', () => {
    expect(run(slice(1, 500, 1), Array(1200).fill('down'))).toBe(1201);
  });
  it('k from the top of a slice reads the page before it; many k land as far up as they go', () => {
    expect(run(slice(3001, 2000, 3001), Array(997).fill('up'))).toBe(2004);
  });
  it('g then j j j: the first message, three down', () => {
    expect(run(slice(3001, 2000, 4000), ['top', 'down', 'down', 'down'])).toBe(4);
  });
  it('g then 600 j, or 21 PgDn, sent before the first page came: on past its end into the next page', () => {
    expect(run(slice(4001, 1000, 5000), ['top', ...Array(600).fill('down')])).toBe(601);
    expect(run(slice(4001, 1000, 5000), ['top', ...Array(1200).fill('down')])).toBe(1201);
    expect(run(slice(4001, 1000, 5000), ['top', ...Array(21).fill('pageDown')])).toBe(1 + 21 * PAGE);
  });
  it('k past the first message stops there: 5,200 k then 3 j land on 4', () => {
    expect(run(slice(4001, 1000, 5000), [...Array(5200).fill('up'), 'down', 'down', 'down'])).toBe(4);
  });
  it('g then G: nothing waits; G then k moves in the list as it is', () => {
    const { s } = slice(3001, 2000, 4000);
    const ctx = ctxOf(2000, true, true);
    const gG = reduce(reduce(s, 'top', ctx), 'bottom', ctx);
    expect(gG.pending).toBeNull();
    // A page that comes now (the read g asked for) moves nothing: the selection stays.
    const k = reduce({ ...gG, follow: false, selected: { ...gG.selected, mailbox: 1999 } }, 'up', ctx);
    expect(pageArrived(k, { dir: 'none', total: 2000, again: false }, PAGE).selected.mailbox).toBe(1998);
  });
  it('a page dropped because the list changed under it is asked for again; one that will not come ends the wait', () => {
    const { s } = slice(1, 500, 500);
    const past = reduce(s, 'down', ctxOf(500, false, true));
    expect(pageArrived(past, { dir: 'none', total: 500, again: true }, PAGE)).toMatchObject({ pending: past.pending, intent: { kind: 'newer' } });
    expect(pageArrived(past, { dir: 'none', total: 500, again: false }, PAGE)).toMatchObject({ pending: null });
  });
});
