// The mailbox pane's messages beyond the in-memory window, as React state: pages read back from
// disk as the user scrolls past the loaded ones (up, to the start, or down through a slice of
// history), and what slides out of the window while scrolled back. The list logic is pure, in
// src/tui/mailbox-window.ts; this hook holds its state and does the reads.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { StateSource } from '../src/sources/source.js';
import type { Intent } from '../src/tui/dialogs.js';
import {
  keepSlidOut, mailboxList, movedRows, olderDetached, pageAfter, pageBefore, withNewerPage, withOlderPage,
  type MailboxList, type MailboxWindow, type OlderMessages,
} from '../src/tui/mailbox-window.js';

/**
 * A page was read: the move that asked for it is finished by the view's reducer, and so are the
 * moves the same way pressed while it was read (`more` rows).
 */
export type PageLoaded =
  | { type: 'older-loaded'; count: number; then: 'up' | 'page' | 'top'; page: number; more: number }
  | { type: 'newer-loaded'; count: number; cut: number; then: 'down' | 'page'; page: number; more: number };

export interface MailboxHistory {
  list: MailboxList;
  /** There are messages before the list (the view asks for them at its top). */
  olderMailbox: boolean;
  /** The list is a slice of history: there are messages after it (the view asks at its end). */
  newerMailbox: boolean;
  older(intent: Extract<Intent, { kind: 'older' }>, page: number): void;
  newer(intent: Extract<Intent, { kind: 'newer' }>, page: number): void;
}

export function useMailboxHistory(team: TeamSnapshot | undefined, following: boolean, source: StateSource, loaded: (a: PageLoaded) => void): MailboxHistory {
  const [loadedOlder, setOlder] = useState<OlderMessages | null>(null);
  const shownWindow = useRef<MailboxWindow | null>(null);
  const teamId = team?.id;
  const mb = team?.mailbox;
  const epoch = mb?.epoch;
  const start = mb?.recentStart ?? 0;
  const recent = mb?.recent;
  const win = useMemo(() => (teamId !== undefined && recent ? { teamId, epoch, start, recent } : null), [teamId, epoch, start, recent]);
  let older = keepSlidOut(loadedOlder, shownWindow.current, win, following);
  // Back to following (G): a slice of history gives way to the newest messages.
  if (following && olderDetached(older, win)) older = null;
  useLayoutEffect(() => {
    shownWindow.current = win;
    if (older !== loadedOlder) setOlder(older);
  }, [win, older, loadedOlder]);
  const list = useMemo(() => mailboxList(older, win), [older, win]);

  // What the last frame showed, for a read that ends later: a page is used only if the list it
  // was read for is still the one on screen (messages slid out of the window were kept after what
  // we read against; another team is shown; following again; the file was replaced).
  const shown = useRef<{ win: MailboxWindow | null; older: OlderMessages | null; list: MailboxList; following: boolean }>({ win: null, older: null, list, following });
  useLayoutEffect(() => { shown.current = { win, older: list.items === null ? null : older, list, following }; });
  // One read at a time per team (another team's read in flight does not hold this one's back).
  // Moves the same way asked for while it is read are added up, and made when the page arrives;
  // a g (to the very top) asked for meanwhile makes the move go to the top.
  const reading = useRef<{ teamId: string; dir: 'older' | 'newer'; more: number; top: boolean } | null>(null);
  // The last intent taken: one the reducer made by adding keys to it after it was taken (its
  // `after`) adds only those keys' rows.
  const taken = useRef<Extract<Intent, { kind: 'older' | 'newer' }> | null>(null);
  const rowsOf = (intent: Extract<Intent, { kind: 'older' | 'newer' }>, base: number): number | null => {
    const r = reading.current;
    const rows = movedRows(intent, base, taken.current, r !== null && r.teamId === teamId && r.dir === intent.kind);
    taken.current = intent;
    return rows;
  };
  const read = (dir: 'older' | 'newer', start: number, count: number, more: number, use: (messages: Awaited<ReturnType<StateSource['readMailboxRange']>>, more: number, top: boolean) => void): void => {
    if (!teamId) return;
    const mine = { teamId, dir, more, top: false };
    reading.current = mine;
    void source.readMailboxRange(teamId, start, count).then((messages) => { if (messages.length > 0) use(messages, mine.more, mine.top); })
      .catch(() => undefined).finally(() => { if (reading.current === mine) reading.current = null; });
  };
  /** Adds a move to the read in flight; true when there is one for this team (the move waits for it). */
  const queue = (dir: 'older' | 'newer', rows: number | null, top = false): boolean => {
    const r = reading.current;
    if (!r || r.teamId !== teamId) return false;
    if (r.dir === dir && rows !== null) { r.more += rows; r.top ||= top; }
    return true;
  };

  return {
    list,
    olderMailbox: list.start > 0 && !mb?.indexing,
    newerMailbox: list.detached,
    older: (intent, page) => {
      const rows = rowsOf(intent, intent.then === 'up' ? 1 : intent.then === 'page' ? Math.max(1, page) : 0);
      if (queue('older', rows, intent.then === 'top' && !intent.after)) return;
      const range = pageBefore(list, intent.then === 'top');
      if (!range || !win || rows === null) return;
      read('older', range.start, range.count, rows, (messages, more, top) => {
        const now = shown.current;
        // Back to following (G) meanwhile: the page is not wanted any more.
        if (now.following || now.win?.teamId !== win.teamId || now.win.epoch !== win.epoch || now.list.start !== list.start) return;
        setOlder(withOlderPage(now.older, now.win, range.start, messages));
        loaded({ type: 'older-loaded', count: messages.length, then: top ? 'top' : intent.then, page, more });
      });
    },
    newer: (intent, page) => {
      const rows = rowsOf(intent, intent.then === 'down' ? 1 : Math.max(1, page));
      if (queue('newer', rows)) return;
      if (older === null || win === null || !olderDetached(older, win) || rows === null) return;
      const range = pageAfter(older, win);
      if (!range) return;
      read('newer', range.start, range.count, rows, (messages, more) => {
        const now = shown.current;
        if (now.following || now.older !== older || now.win?.epoch !== win!.epoch) return;
        const next = withNewerPage(older!, messages);
        setOlder(next.older);
        loaded({ type: 'newer-loaded', count: messages.length, cut: next.cut, then: intent.then, page, more });
      });
    },
  };
}
