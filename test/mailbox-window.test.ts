import { describe, expect, it } from 'vitest';
import { keepSlidOut, MAX_KEPT, olderFits, type MailboxWindow, type OlderMessages } from '../src/tui/mailbox-window.js';
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
