// The mailbox pane's messages beyond the in-memory window, as React state: pages read back from
// disk as the user scrolls past the loaded ones (up, to the start, or down through a slice of
// history), and what slides out of the window while scrolled back. The list logic is pure, in
// src/tui/mailbox-window.ts; this hook holds its state and does the reads.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { StateSource } from '../src/sources/source.js';
import type { Intent } from '../src/tui/dialogs.js';
import type { PageArrival, PendingMove } from '../src/tui/mailbox-paging.js';
import {
  keepSlidOut, mailboxList, olderDetached, pageAfter, pageBefore, withNewerPage, withOlderPage,
  type MailboxList, type MailboxWindow, type OlderMessages,
} from '../src/tui/mailbox-window.js';

/** A page was read, or will not be: the view's reducer lands the move waiting for it (mailbox-paging.ts). */
export type PageLoaded = { type: 'page'; arrival: PageArrival; page: number };

export interface MailboxHistory {
  list: MailboxList;
  /** There are messages before the list (the view asks for them at its top). */
  olderMailbox: boolean;
  /** The list is a slice of history: there are messages after it (the view asks at its end). */
  newerMailbox: boolean;
  older(intent: Extract<Intent, { kind: 'older' }>, page: number): void;
  newer(page: number): void;
}

export function useMailboxHistory(team: TeamSnapshot | undefined, following: boolean, source: StateSource, loaded: (a: PageLoaded) => void, waiting: PendingMove | null): MailboxHistory {
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
  // And a page no move waits for any more (G, then k: the list is the same, the jump to the top is not wanted).
  const shown = useRef<{ win: MailboxWindow | null; older: OlderMessages | null; list: MailboxList; following: boolean; waiting: PendingMove | null }>({ win: null, older: null, list, following, waiting });
  useLayoutEffect(() => { shown.current = { win, older: list.items === null ? null : older, list, following, waiting }; });
  // One read at a time per team (another team's read in flight does not hold this one's back): a
  // move asked for meanwhile waits in the view state, and the page's arrival asks again.
  const reading = useRef<string | null>(null);
  const read = (start: number, count: number, use: (messages: Awaited<ReturnType<StateSource['readMailboxRange']>>) => void): void => {
    if (!teamId || reading.current === teamId) return;
    reading.current = teamId;
    void source.readMailboxRange(teamId, start, count).catch(() => []).then(use)
      .finally(() => { if (reading.current === teamId) reading.current = null; });
  };
  const total = (l: MailboxList): number => l.items?.length ?? win?.recent.length ?? 0;

  return {
    list,
    olderMailbox: list.start > 0 && !mb?.indexing,
    newerMailbox: list.detached,
    older: (intent, page) => {
      const range = pageBefore(list, intent.top);
      if (!win || !range) { loaded({ type: 'page', arrival: { dir: 'none', total: total(list), again: false }, page }); return; }
      read(range.start, range.count, (messages) => {
        const now = shown.current;
        // Back to following (G), another team or file, another list, or no move waits for it: not this page.
        const stale = now.following || now.waiting?.dir !== 'older' || now.win?.teamId !== win.teamId || now.win.epoch !== win.epoch || now.list.start !== list.start;
        if (stale || messages.length === 0) { loaded({ type: 'page', arrival: { dir: 'none', total: total(now.list), again: stale && now.waiting !== null }, page }); return; }
        const next = withOlderPage(now.older, now.win!, range.start, messages);
        setOlder(next);
        const l = mailboxList(next, now.win);
        loaded({ type: 'page', arrival: { dir: 'older', count: messages.length, top: intent.top, start: l.start, total: total(l), detached: l.detached }, page });
      });
    },
    newer: (page) => {
      const range = older !== null && win !== null && olderDetached(older, win) ? pageAfter(older, win) : null;
      if (!range) { loaded({ type: 'page', arrival: { dir: 'none', total: total(list), again: false }, page }); return; }
      read(range.start, range.count, (messages) => {
        const now = shown.current;
        const stale = now.following || now.waiting?.dir !== 'newer' || now.older !== older || now.win?.epoch !== win!.epoch;
        if (stale || messages.length === 0) { loaded({ type: 'page', arrival: { dir: 'none', total: total(now.list), again: stale && now.waiting !== null }, page }); return; }
        const next = withNewerPage(older!, messages);
        setOlder(next.older);
        const l = mailboxList(next.older, now.win);
        loaded({ type: 'page', arrival: { dir: 'newer', count: messages.length, cut: next.cut, total: total(l), detached: l.detached }, page });
      });
    },
  };
}
