import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { initialViewState, reduce, effectiveSelection, pageArrived, type ViewContext } from '../src/tui/view-state.js';
import { reduceKey } from '../src/tui/key-chunks.js';
import { BINDINGS, commandFor, helpSections } from '../src/tui/keymap.js';

const ctx: ViewContext = {
  counts: { teammates: 5, tasks: 3, mailbox: 50, alerts: 0 },
  pageSize: { teammates: 3, tasks: 3, mailbox: 10, alerts: 3 },
  teamCount: 3,
};
const key = (k: Partial<Key> = {}): Key => ({
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false, ...k,
} as Key);

describe('view-state reducer', () => {
  it('cycles focus with Tab / Shift-Tab and jumps with 1-4', () => {
    let s = initialViewState();
    s = reduce(s, 'focusNext', ctx);
    expect(s.focus).toBe('tasks');
    s = reduce(s, 'focusPrev', ctx);
    s = reduce(s, 'focusPrev', ctx);
    expect(s.focus).toBe('alerts');
    expect(reduce(s, 'pane3', ctx).focus).toBe('mailbox');
  });

  it('moves the selection within bounds and scrolls to keep it visible', () => {
    let s = initialViewState();
    for (let i = 0; i < 10; i++) s = reduce(s, 'down', ctx);
    expect(s.selected.teammates).toBe(4);
    expect(s.top.teammates).toBe(2);
    s = reduce(s, 'top', ctx);
    expect([s.selected.teammates, s.top.teammates]).toEqual([0, 0]);
    expect(reduce(s, 'up', ctx).selected.teammates).toBe(0);
  });

  it('the mailbox follows the tail until the user moves up, and G follows again', () => {
    let s = reduce(initialViewState(), 'pane3', ctx);
    expect(effectiveSelection(s, 'mailbox', 50)).toBe(49);
    expect(effectiveSelection(s, 'mailbox', 51)).toBe(50);
    s = reduce(s, 'up', ctx);
    expect(s.follow).toBe(false);
    expect(effectiveSelection(s, 'mailbox', 60)).toBe(48);
    s = reduce(s, 'bottom', ctx);
    expect(s.follow).toBe(true);
  });

  it('opens a detail view only on a row, and Esc closes it', () => {
    const s = reduce(reduce(initialViewState(), 'pane4', ctx), 'open', ctx);
    expect(s.overlay).toBeNull();
    const d = reduce(initialViewState(), 'open', ctx);
    expect(d.overlay).toMatchObject({ kind: 'detail', pane: 'teammates', index: 0 });
    expect(reduce(d, 'close', ctx).overlay).toBeNull();
  });

  it('an overlay takes the keys: j scrolls it instead of moving the selection', () => {
    const d = reduce(reduce(initialViewState(), 'help', ctx), 'down', ctx);
    expect(d.overlay).toMatchObject({ kind: 'help', scroll: 1 });
    expect(d.selected.teammates).toBe(0);
  });

  it('switches teams and wraps around', () => {
    const s = reduce(initialViewState(), 'teamPrev', ctx);
    expect(s.teamIndex).toBe(2);
    expect(reduce(s, 'teamNext', ctx).teamIndex).toBe(0);
  });

  it('keys read with one that changes the team, or leaves a slice of history for the newest, wait for the next frame', () => {
    const s = reduceKey(initialViewState(), ']jjj', key(), ctx);
    expect([s.teamIndex, s.selected.teammates, s.deferred]).toEqual([1, 0, 'jjj']);
    // The next read (the App hands the deferred keys over with the new frame's context) clears them.
    const t = reduceKey(s, s.deferred!, key(), { ...ctx, counts: { ...ctx.counts, teammates: 7 } });
    expect([t.selected.teammates, t.deferred]).toEqual([3, null]);
    const slice: ViewContext = { ...ctx, newerMailbox: true };
    const inSlice = { ...reduce(initialViewState(), 'pane3', slice), follow: false };
    const g = reduceKey(inSlice, 'Gk', key(), slice);
    expect([g.follow, g.deferred]).toEqual([true, 'k']);
    // Keys that change nothing under them are reduced at once.
    expect(reduceKey(initialViewState(), 'jj', key(), ctx).deferred).toBeNull();
  });

  it('keys read together in a picker are each a key: jjj then Enter picks the fourth', () => {
    const pick = { kind: 'pick' as const, action: 'reassign' as const, team: 'crew', field: 'to', index: 0, title: 'to:', args: { target: 'T1' },
      options: ['a', 'b', 'c', 'd'].map((v) => ({ value: v, label: v })) };
    const s = reduceKey({ ...initialViewState(), dialog: pick } as never, 'jjj\r', key(), ctx);
    expect(s.intent).toMatchObject({ kind: 'step', args: { to: 'd' } });
  });

  it('types into the filter prompt: keys that are commands elsewhere are text here', () => {
    let s = reduceKey(initialViewState(), '/', key(), ctx);
    for (const ch of 'jq?') s = reduceKey(s, ch, key(), ctx);
    expect(s.editing?.draft).toBe('jq?');
    expect(s.quit).toBe(false);
    s = reduceKey(s, '', key({ backspace: true }), ctx);
    s = reduceKey(s, '', key({ return: true }), ctx);
    expect(s.filters.teammates).toBe('jq');
    expect(s.editing).toBeNull();
    s = reduceKey(s, '', key({ escape: true }), ctx);
    expect(s.filters.teammates).toBe('');
  });

  it('keys that arrive together in one read are each applied', () => {
    const s = reduceKey(initialViewState(), '4jj', key(), { ...ctx, counts: { ...ctx.counts, alerts: 5 } });
    expect(s.focus).toBe('alerts');
    expect(s.selected.alerts).toBe(2);
    // In a prompt the same chunk is text (a paste).
    const f = reduceKey(reduceKey(initialViewState(), '/', key(), ctx), 'abc', key(), ctx);
    expect(f.editing?.draft).toBe('abc');
  });

  it('text typed into a prompt with its Enter or Backspace in the same read keeps the key', () => {
    const open = reduceKey(initialViewState(), '/', key(), ctx);
    const s = reduceKey(open, 'db-mig\r', key(), ctx);
    expect(s.editing).toBeNull();
    expect(s.filters.teammates).toBe('db-mig');
    expect(reduceKey(open, 'abx\u007fc', key(), ctx).editing?.draft).toBe('abc');
    // What follows the Enter is handled as keys in the state the Enter left: 4 focuses Alerts.
    const after = reduceKey(open, 'x\r4', key(), ctx);
    expect(after.filters.teammates).toBe('x');
    expect(after.focus).toBe('alerts');
    // The key that opens the prompt, the text and the Enter, all in one read.
    const whole = reduceKey(initialViewState(), '/db-mig\r', key(), ctx);
    expect(whole.editing).toBeNull();
    expect(whole.filters.teammates).toBe('db-mig');
  });

  it('q and Ctrl-C quit, even from the filter prompt', () => {
    expect(reduceKey(initialViewState(), 'q', key(), ctx).quit).toBe(true);
    expect(reduceKey(initialViewState(), 'c', key({ ctrl: true }), ctx).quit).toBe(true);
    const editing = reduceKey(initialViewState(), '/', key(), ctx);
    expect(reduceKey(editing, 'c', key({ ctrl: true }), ctx).quit).toBe(true);
  });
});

describe('keymap registry', () => {
  it('every binding resolves back to its own command', () => {
    for (const b of BINDINGS) {
      for (const spec of b.keys) {
        const k = key(spec.key === 'shiftTab' ? { tab: true, shift: true } : spec.key ? { [spec.key]: true } : { ctrl: spec.ctrl ?? false });
        expect(commandFor(spec.ch ?? '', k)).toBe(b.command);
      }
    }
  });

  it('no two bindings share a key', () => {
    const seen = new Set<string>();
    for (const b of BINDINGS) for (const s of b.keys) {
      const id = JSON.stringify(s);
      expect(seen.has(id), id).toBe(false);
      seen.add(id);
    }
  });

  it('the help lists every binding', () => {
    const rows = helpSections(false, { jump: true }).flatMap((s) => s.rows.map((r) => r.keys));
    expect(rows.sort()).toEqual(BINDINGS.map((b) => b.label).sort());
    // p (go to the teammate's tmux pane) only where it can work.
    const without = helpSections(false).flatMap((s) => s.rows.map((r) => r.keys));
    expect(without).not.toContain('p');
    expect(without.length).toBe(rows.length - 1);
  });

  it('in a slice of history, moving past its end waits for the page after it (as far past as the key goes), and G goes back to the newest', () => {
    const slice: ViewContext = { ...ctx, newerMailbox: true, olderMailbox: false };
    let s = reduce(reduce(initialViewState(), 'pane3', slice), 'top', slice);
    expect(s.follow).toBe(false);
    for (let i = 0; i < 49; i++) s = reduce(s, 'down', slice);
    // The slice's last row is not the newest message: it does not follow.
    expect([s.selected.mailbox, s.follow, s.intent, s.pending]).toEqual([49, false, null, null]);
    const past = reduce(s, 'down', slice);
    expect([past.intent, past.pending, past.follow]).toEqual([{ kind: 'newer' }, { dir: 'newer', top: false, rows: 1 }, false]);
    // A page down from row 45 goes 10 rows: 4 in the list, 6 past its end.
    expect(reduce({ ...s, selected: { ...s.selected, mailbox: 45 } }, 'pageDown', slice).pending).toEqual({ dir: 'newer', top: false, rows: 6 });
    // The page came, its first 20 let go: one row down from the last of before.
    const after = pageArrived(past, { dir: 'newer', count: 500, cut: 20, total: 530, detached: true }, 10);
    expect([after.selected.mailbox, after.pending]).toEqual([30, null]);
    expect(reduce(past, 'bottom', slice)).toMatchObject({ follow: true, pending: null });
    // Filtered, the slice is what is searched: nothing is read.
    const filtered = { ...s, filters: { ...s.filters, mailbox: 'x' } };
    expect(reduce(filtered, 'down', slice).intent).toBeNull();
  });

  it('keys pressed while a page is read add to the move that waits, and it lands where they say when the page comes', () => {
    const slice: ViewContext = { ...ctx, newerMailbox: true, olderMailbox: true };
    let s = reduce(initialViewState(), 'pane3', slice);
    s = { ...s, follow: false, selected: { ...s.selected, mailbox: 49 } };
    const three = reduce(reduce(reduce(s, 'down', slice), 'pageDown', slice), 'down', slice);
    expect(three.pending).toEqual({ dir: 'newer', top: false, rows: 12 });
    expect(pageArrived(three, { dir: 'newer', count: 500, cut: 0, total: 550, detached: true }, 10).selected.mailbox).toBe(61);
    // Back up before the page came: the move is in the list again, nothing waits.
    const back = reduce(reduce(s, 'down', slice), 'pageUp', slice);
    expect([back.pending, back.selected.mailbox]).toEqual([null, 40]);
    const top = { ...s, selected: { ...s.selected, mailbox: 0 } };
    const up = reduce(reduce(top, 'up', slice), 'pageUp', slice);
    expect(up.pending).toEqual({ dir: 'older', top: false, rows: 11 });
    expect(pageArrived(up, { dir: 'older', count: 500, top: false, start: 1000, total: 550 }, 10).selected.mailbox).toBe(489);
    // g, then three j: the first message, three down, once the first page is there.
    const g = reduce(reduce(reduce(reduce(top, 'top', slice), 'down', slice), 'down', slice), 'down', slice);
    expect(g.pending).toEqual({ dir: 'older', top: true, rows: 3 });
    expect(pageArrived(g, { dir: 'older', count: 500, top: true, start: 0, total: 500 }, 10).selected.mailbox).toBe(3);
    // g, G: nothing waits any more.
    expect(reduce(reduce(top, 'top', slice), 'bottom', slice).pending).toBeNull();
  });

  it('keys that cannot act say why: an action key over a view, e with nothing folded', () => {
    const detail = { ...initialViewState(), overlay: { kind: 'detail' as const, pane: 'teammates' as const, index: 0, scroll: 0 } };
    const w = reduceKey(detail, 'w', key(), ctx);
    expect(w.overlay).toEqual(detail.overlay);
    expect(w.intent).toMatchObject({ kind: 'say', text: expect.stringContaining('wake: close this view first (Esc)') });
    const e = reduceKey(initialViewState(), 'e', key(), { ...ctx, folded: 0 });
    expect(e.intent).toMatchObject({ kind: 'say', text: expect.stringContaining('there are none here') });
    expect(reduceKey(initialViewState(), 'e', key(), { ...ctx, folded: 2 }).showEmpty).toBe(true);
  });
});
