// The mailbox pane's list beyond the in-memory window. The sources keep the newest messages in
// memory (a window that slides as messages arrive) and read older ones back from disk on demand.
// While the user is scrolled back, what slides out of the window is kept with what was read back,
// so a new message never takes away the list under the selection.
import type { Message } from '../model/types.js';

/** Messages kept before the window at most (what slid out and what was read back). */
export const MAX_KEPT = 20_000;

/** Messages before the window: `start` is the index of the first in the whole mailbox. */
export interface OlderMessages {
  teamId: string;
  start: number;
  messages: Message[];
}

/** The in-memory window as a frame showed it. */
export interface MailboxWindow {
  teamId: string;
  start: number;
  recent: readonly Message[];
}

/** Whether `older` ends exactly where the window `w` starts (so the two make one list). */
export function olderFits(older: OlderMessages | null, w: MailboxWindow | null): older is OlderMessages {
  return older !== null && w !== null && older.teamId === w.teamId && older.start + older.messages.length === w.start;
}

/**
 * The older messages to show after the window moved from `prev` to `next`: while not following,
 * the messages that slid out of the window are added to them (or start them), so the list keeps
 * its start; otherwise, and for a jump longer than the window, `older` as it was.
 */
export function keepSlidOut(older: OlderMessages | null, prev: MailboxWindow | null, next: MailboxWindow | null, following: boolean): OlderMessages | null {
  if (following || prev === null || next === null || prev.teamId !== next.teamId) return older;
  const slid = next.start - prev.start;
  // The same messages, moved on: the window's objects are kept while their file is (a file
  // replaced, or indexed anew, has other objects, and nothing of the old one is kept).
  if (slid <= 0 || slid >= prev.recent.length || next.recent[0] !== prev.recent[slid]) return older;
  const base = olderFits(older, prev) ? older : { teamId: prev.teamId, start: prev.start, messages: [] };
  const messages = base.messages.concat(prev.recent.slice(0, slid));
  // Bounded: scrolled back for hours beside a busy team keeps the newest MAX_KEPT before the window.
  const cut = Math.max(0, messages.length - MAX_KEPT);
  return { teamId: base.teamId, start: base.start + cut, messages: cut > 0 ? messages.slice(cut) : messages };
}
