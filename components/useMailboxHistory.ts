// The mailbox pane's messages beyond the in-memory window, as React state: pages read back from
// disk as the user scrolls past the loaded ones (up, to the start, or down through a slice of
// history), and what slides out of the window while scrolled back. The list logic is pure, in
// src/tui/mailbox-window.ts; this hook holds its state and does the reads.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { StateSource } from '../src/sources/source.js';
import type { Intent } from '../src/tui/dialogs.js';
import {
  keepSlidOut, mailboxList, olderDetached, pageAfter, pageBefore, withNewerPage, withOlderPage,
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
  // Moves the same way asked for while it is read are added up, and made when the page arrives.
  const reading = useRef<{ teamId: string; dir: 'older' | 'newer'; more: number } | null>(null);
  const read = (dir: 'older' | 'newer', rows: number, start: number, count: number, use: (messages: Awaited<ReturnType<StateSource['readMailboxRange']>>, more: number) => void): void => {
    if (!teamId) return;
    const r = reading.current;
    if (r?.teamId === teamId) {
      if (r.dir === dir) r.more += rows;
      return;
    }
    const mine = { teamId, dir, more: rows };
    reading.current = mine;
    void source.readMailboxRange(teamId, start, count).then((messages) => { if (messages.length > 0) use(messages, mine.more); })
      .catch(() => undefined).finally(() => { if (reading.current === mine) reading.current = null; });
  };

  return {
    list,
    olderMailbox: list.start > 0 && !mb?.indexing,
    newerMailbox: list.detached,
    older: (intent, page) => {
      const rows = (intent.then === 'up' ? 1 : intent.then === 'page' ? Math.max(1, page) : 0) + (intent.more ?? 0);
      if (reading.current?.teamId === teamId) return read('older', rows, 0, 0, () => undefined);
      const range = pageBefore(list, intent.then === 'top');
      if (!range || !win) return;
      read('older', intent.more ?? 0, range.start, range.count, (messages, more) => {
        const now = shown.current;
        // Back to following (G) meanwhile: the page is not wanted any more.
        if (now.following || now.win?.teamId !== win.teamId || now.win.epoch !== win.epoch || now.list.start !== list.start) return;
        setOlder(withOlderPage(now.older, now.win, range.start, messages));
        loaded({ type: 'older-loaded', count: messages.length, then: intent.then, page, more });
      });
    },
    newer: (intent, page) => {
      const rows = (intent.then === 'down' ? 1 : Math.max(1, page)) + (intent.more ?? 0);
      if (reading.current?.teamId === teamId) return read('newer', rows, 0, 0, () => undefined);
      if (older === null || win === null || !olderDetached(older, win)) return;
      const range = pageAfter(older, win);
      if (!range) return;
      read('newer', intent.more ?? 0, range.start, range.count, (messages, more) => {
        const now = shown.current;
        if (now.following || now.older !== older || now.win?.epoch !== win!.epoch) return;
        const next = withNewerPage(older!, messages);
        setOlder(next.older);
        loaded({ type: 'newer-loaded', count: messages.length, cut: next.cut, then: intent.then, page, more });
      });
    },
  };
}
