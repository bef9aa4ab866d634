// The mailbox pane's list beyond the in-memory window. The sources keep the newest messages in
// memory (a window that slides as messages arrive) and read older ones back from disk on demand,
// a page at a time. What was read back either meets the window (one list down to the newest) or,
// after a jump to the start or once it grew past MAX_KEPT, is a slice of history on its own that
// reads the next page as the selection moves past its end. While the user is scrolled back, what
// slides out of the window is kept with what was read back, so a new message never takes away the
// list under the selection. Everything here is bounded by MAX_KEPT messages.
import type { Message } from '../model/types.js';

/** Messages kept before the window at most (what slid out and what was read back). */
export const MAX_KEPT = 20_000;
/** How many messages one step past the loaded ones reads from disk. */
export const PAGE = 500;

/** Messages before the window: `start` is the index of the first in the whole mailbox. */
export interface OlderMessages {
  teamId: string;
  /** The mailbox file they were read from (MailboxView.epoch). */
  epoch?: number;
  start: number;
  messages: Message[];
}

/** The in-memory window as a frame showed it. */
export interface MailboxWindow {
  teamId: string;
  epoch?: number;
  start: number;
  recent: readonly Message[];
}

const sameFile = (o: OlderMessages, w: MailboxWindow): boolean => o.teamId === w.teamId && o.epoch === w.epoch;
const endOf = (o: OlderMessages): number => o.start + o.messages.length;

/** Whether `older` ends exactly where the window `w` starts (so the two make one list). */
export function olderFits(older: OlderMessages | null, w: MailboxWindow | null): boolean {
  return older !== null && w !== null && sameFile(older, w) && endOf(older) === w.start;
}

/** Whether `older` is a slice of history that ends before the window starts (there is more after it). */
export function olderDetached(older: OlderMessages | null, w: MailboxWindow | null): boolean {
  return older !== null && w !== null && sameFile(older, w) && older.messages.length > 0 && endOf(older) < w.start;
}

/** What the pane lists: the older messages and the window, the slice alone, or (null) the window alone. */
export interface MailboxList {
  items: readonly Message[] | null;
  /** The index of the first listed message in the whole mailbox. */
  start: number;
  /** The list is a slice of history that stops before the newest messages. */
  detached: boolean;
}

export function mailboxList(older: OlderMessages | null, w: MailboxWindow | null): MailboxList {
  if (older !== null && w !== null) {
    if (olderFits(older, w)) return { items: older.messages.concat(w.recent), start: older.start, detached: false };
    if (olderDetached(older, w)) return { items: older.messages, start: older.start, detached: true };
  }
  return { items: null, start: w?.start ?? 0, detached: false };
}

/**
 * The older messages to show after the window moved from `prev` to `next`: while not following,
 * the messages that slid out of the window are added to them (or start them), so the list keeps
 * its start; a slice of history stays as it is; nothing is kept of another file (replaced, or
 * indexed anew); otherwise, and for a jump longer than the window, `older` as it was.
 */
export function keepSlidOut(older: OlderMessages | null, prev: MailboxWindow | null, next: MailboxWindow | null, following: boolean): OlderMessages | null {
  if (older !== null && next !== null && older.teamId === next.teamId && older.epoch !== next.epoch) return null;
  if (following || prev === null || next === null || prev.teamId !== next.teamId) return older;
  if (older !== null && olderDetached(older, prev)) return older;
  const slid = next.start - prev.start;
  // The same messages, moved on: the window's objects are kept while their file is (a file
  // replaced, or indexed anew, has other objects, and nothing of the old one is kept).
  if (slid <= 0 || slid >= prev.recent.length || next.recent[0] !== prev.recent[slid]) return older;
  const base = older !== null && olderFits(older, prev) ? older : { teamId: prev.teamId, epoch: prev.epoch, start: prev.start, messages: [] };
  const messages = base.messages.concat(prev.recent.slice(0, slid));
  // Bounded: scrolled back for hours beside a busy team keeps the newest MAX_KEPT before the window.
  const cut = Math.max(0, messages.length - MAX_KEPT);
  return { ...base, start: base.start + cut, messages: cut > 0 ? messages.slice(cut) : messages };
}

/**
 * `page`, read from `start` of the window `w`'s file, put before what is loaded: joined to it when
 * it ends where the loaded messages start (else it replaces them: a jump). At most `max` are kept,
 * the oldest: the list then stops before the newest and reads them again when reached.
 */
export function withOlderPage(older: OlderMessages | null, w: MailboxWindow, start: number, page: readonly Message[], max = MAX_KEPT): OlderMessages {
  const loaded = older !== null && sameFile(older, w) && older.start === start + page.length ? older.messages : [];
  const joined = page.concat(loaded);
  return { teamId: w.teamId, epoch: w.epoch, start, messages: joined.length > max ? joined.slice(0, max) : joined };
}

/**
 * `page`, read from where the slice `older` ends, put after it; past `max`, its oldest are let go.
 * `cut` says how many (the selection moves up by as many).
 */
export function withNewerPage(older: OlderMessages, page: readonly Message[], max = MAX_KEPT): { older: OlderMessages; cut: number } {
  const joined = older.messages.concat(page);
  const cut = Math.max(0, joined.length - max);
  return { older: { ...older, start: older.start + cut, messages: cut > 0 ? joined.slice(cut) : joined }, cut };
}

/** The range the next page before `list` covers: [start, start + count), or null when there is none. */
export function pageBefore(list: MailboxList, top: boolean): { start: number; count: number } | null {
  if (list.start <= 0) return null;
  // To the top: the first page of the mailbox, whatever is loaded.
  const start = top ? 0 : Math.max(0, list.start - PAGE);
  return { start, count: Math.min(PAGE, list.start - start) };
}

/** The range the next page after a slice of history covers, up to the window's start, or null. */
export function pageAfter(older: OlderMessages, w: MailboxWindow): { start: number; count: number } | null {
  const start = endOf(older);
  return start < w.start ? { start, count: Math.min(PAGE, w.start - start) } : null;
}
