import { describe, expect, it } from 'vitest';
import {
  keepSlidOut, mailboxList, MAX_KEPT, olderDetached, olderFits, PAGE, pageAfter, pageBefore, withNewerPage, withOlderPage,
  type MailboxWindow, type OlderMessages,
} from '../src/tui/mailbox-window.js';
import type { Message } from '../src/model/types.js';
import { message } from './helpers/model.js';

const msgs = (from: number, n: number): Message[] => Array.from({ length: n }, (_, i) => message({ sequence: from + i }));
const win = (start: number, n: number, teamId = 't'): MailboxWindow => ({ teamId, start, recent: msgs(start + 1, n) });
/** The window moved on by `k` messages: the same objects, `k` new ones after them. */
const slide = (w: MailboxWindow, k: number): MailboxWindow => ({ ...w, start: w.start + k, recent: [...w.recent.slice(k), ...msgs(w.start + w.recent.length + 1, k)] });

describe('keepSlidOut', () => {
  it('adds what slid out of the window to the older messages read back, so the list keeps its start', () => {
    const older: OlderMessages = { teamId: 't', start: 100, messages: msgs(101, 400) };
    const prev = win(500, 1000);
    const next = slide(prev, 3);
    const kept = keepSlidOut(older, prev, next, false)!;
    expect(kept.start).toBe(100);
    expect(kept.messages.map((m) => m.sequence)).toEqual([...msgs(101, 400), ...prev.recent.slice(0, 3)].map((m) => m.sequence));
    expect(olderFits(kept, next)).toBe(true);
  });

  it('starts the older messages from the window when none were read back', () => {
    const prev = win(0, 1000);
    const kept = keepSlidOut(null, prev, slide(prev, 2), false)!;
    expect(kept).toMatchObject({ teamId: 't', start: 0 });
    expect(kept.messages.map((m) => m.sequence)).toEqual([1, 2]);
  });

  it('keeps nothing new while following, for another team, or for a jump longer than the window', () => {
    const older: OlderMessages = { teamId: 't', start: 0, messages: msgs(1, 10) };
    const prev = win(10, 1000);
    expect(keepSlidOut(older, prev, slide(prev, 2), true)).toBe(older);
    expect(keepSlidOut(older, prev, { ...slide(prev, 2), teamId: 'u' }, false)).toBe(older);
    // Other objects at the same places: another file (replaced, or indexed anew).
    expect(keepSlidOut(older, prev, win(12, 1000), false)).toBe(older);
    expect(keepSlidOut(older, win(10, 100), win(500, 100), false)).toBe(older);
    expect(keepSlidOut(older, win(10, 100), win(10, 100), false)).toBe(older);
  });

  it('keeps at most MAX_KEPT before the window, the newest', () => {
    const older: OlderMessages = { teamId: 't', start: 0, messages: msgs(1, MAX_KEPT) };
    const prev = win(MAX_KEPT, 1000);
    const kept = keepSlidOut(older, prev, slide(prev, 5), false)!;
    expect(kept.messages).toHaveLength(MAX_KEPT);
    expect(kept.start).toBe(5);
    expect(olderFits(kept, slide(prev, 5))).toBe(true);
  });
});

const seqs = (ms: readonly Message[] | null | undefined): number[] => (ms ?? []).map((m) => m.sequence);

describe('slices of history', () => {
  it('a page read before the loaded messages joins them; one that does not meet them replaces them', () => {
    const w = win(3000, 1000);
    // One step up from the window: the page meets it, and the list runs down to the newest.
    const joined = withOlderPage(null, w, 2500, msgs(2501, 500));
    expect(olderFits(joined, w)).toBe(true);
    expect(mailboxList(joined, w)).toMatchObject({ start: 2500, detached: false });
    expect(mailboxList(joined, w).items).toHaveLength(1500);
    // To the start (g): the first page, on its own: a slice that stops before the window.
    const top = withOlderPage(joined, w, 0, msgs(1, 500));
    expect(top.start).toBe(0);
    expect(seqs(top.messages)).toEqual(seqs(msgs(1, 500)));
    expect(olderDetached(top, w)).toBe(true);
    expect(mailboxList(top, w)).toMatchObject({ start: 0, detached: true });
    expect(seqs(mailboxList(top, w).items)).toEqual(seqs(msgs(1, 500)));
  });

  it('reading up holds at most MAX_KEPT, the oldest: the list then stops short of the newest', () => {
    const w = win(MAX_KEPT + 2000, 1000);
    let older: OlderMessages | null = null;
    for (let start = w.start - PAGE; start >= w.start - MAX_KEPT - 2 * PAGE; start -= PAGE) older = withOlderPage(older, w, start, msgs(start + 1, PAGE));
    expect(older!.messages).toHaveLength(MAX_KEPT);
    expect(older!.start).toBe(w.start - MAX_KEPT - 2 * PAGE);
    expect(olderDetached(older, w)).toBe(true);
    expect(pageAfter(older!, w)).toEqual({ start: w.start - 2 * PAGE, count: PAGE });
  });

  it('reading down a slice lets its oldest go past MAX_KEPT and says how many', () => {
    const slice: OlderMessages = { teamId: 't', start: 0, messages: msgs(1, MAX_KEPT - 100) };
    const { older, cut } = withNewerPage(slice, msgs(MAX_KEPT - 99, PAGE));
    expect(cut).toBe(PAGE - 100);
    expect(older.start).toBe(cut);
    expect(older.messages).toHaveLength(MAX_KEPT);
    expect(older.messages[older.messages.length - 1]!.sequence).toBe(MAX_KEPT + PAGE - 100);
  });

  it('the pages before and after a list, up to the mailbox start and the window', () => {
    expect(pageBefore({ items: null, start: 1200, detached: false }, false)).toEqual({ start: 700, count: 500 });
    expect(pageBefore({ items: null, start: 300, detached: false }, false)).toEqual({ start: 0, count: 300 });
    expect(pageBefore({ items: null, start: 5000, detached: false }, true)).toEqual({ start: 0, count: 500 });
    expect(pageBefore({ items: null, start: 0, detached: false }, true)).toBeNull();
    const w = win(1200, 1000);
    expect(pageAfter({ teamId: 't', start: 0, messages: msgs(1, 500) }, w)).toEqual({ start: 500, count: 500 });
    expect(pageAfter({ teamId: 't', start: 500, messages: msgs(501, 500) }, w)).toEqual({ start: 1000, count: 200 });
  });

  it('a slice stays as it is while the window moves on, and goes when the file is another', () => {
    const slice: OlderMessages = { teamId: 't', epoch: 1, start: 0, messages: msgs(1, 500) };
    const prev = { ...win(3000, 1000), epoch: 1 };
    expect(keepSlidOut(slice, prev, slide(prev, 5), false)).toBe(slice);
    // Truncated or replaced: positions mean other messages now.
    expect(keepSlidOut(slice, prev, { ...win(10, 10), epoch: 2 }, false)).toBeNull();
    const attached: OlderMessages = { teamId: 't', epoch: 1, start: 2500, messages: msgs(2501, 500) };
    expect(keepSlidOut(attached, prev, { ...slide(prev, 5), epoch: 2 }, false)).toBeNull();
    // Another file's window never lists them.
    expect(mailboxList(slice, { ...prev, epoch: 2 })).toMatchObject({ items: null, start: 3000 });
  });
});
