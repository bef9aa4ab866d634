// The container: reads the stores, maps keys to the view-state reducer, hands the reducer's intents
// to one dispatcher, lays the panes out. Pure logic lives in src/tui (reducer, layout, rows, the
// action flow); the intents' I/O in the handlers (useActionHandlers, recordHandlers).
import { trace } from '../src/model/trace.js';
import React, { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import { Box, useApp, useInput, type Key } from 'ink';
import type { StateSource } from '../src/sources/source.js';
import type { AlertEngine } from '../src/alerts/engine.js';
import type { Thresholds } from '../src/model/thresholds.js';
import type { Clock } from '../src/model/clock.js';
import {
  clearIntent, effectiveSelection, followItem, initialViewState, openDialog, pageArrived, type ViewContext, type ViewState,
} from '../src/tui/view-state.js';
import type { Dialog, Intent } from '../src/tui/dialogs.js';
import { PANES, type PaneId } from '../src/tui/pane-ids.js';
import { DialogView } from './DialogView.js';
import { dialogLayout } from '../src/tui/dialog-layout.js';
import { partitionAcked } from '../src/alerts/acks.js';
import type { Writer } from '../src/ports/effects.js';
import type { Alert } from '../src/alerts/types.js';
import { computeLayout } from '../src/tui/layout.js';
import { tasksEmptyRows } from '../src/tui/panes.js';
import { deriveLists } from '../src/tui/derive.js';
import { Header } from './Header.js';
import { Footer } from './Footer.js';
import { Panes } from './Panes.js';
import { DetailOverlay, HelpOverlay, TimelineOverlay } from './Overlays.js';
import { useHistory } from './useHistory.js';
import { useTerminalSize, type Size } from './hooks.js';
import { teammateOfRow, visibleTeams, type PaneJumper } from '../src/tui/teams.js';
import { detailIndex, itemKey, movedItem, seenNow, type Seen } from '../src/tui/selection.js';
import { sanitize, shownId } from '../src/safety/sanitize.js';
import { useIntents } from './useIntents.js';
import { useMailboxHistory, type PageLoaded } from './useMailboxHistory.js';
import { NO_KEY, reduceKey } from '../src/tui/key-chunks.js';
import { actionHandlers } from './useActionHandlers.js';
import { recordHandlers } from './recordHandlers.js';

export interface AppProps {
  source: StateSource;
  alerts: AlertEngine;
  clock: Clock;
  thresholds: Thresholds;
  readonly?: boolean;
  initialTeam?: string;
  /** Fixed terminal size (tests); otherwise the real terminal's, following resizes. */
  size?: Size;
  /** The writer for a team's files (the action layer's only way to change state). */
  writerFor?: (teamId: string) => Writer;
  /** Going to a teammate's tmux pane (absent, or not available, outside tmux). */
  panes?: PaneJumper;
  /** Where P writes post-mortems (default ./reports). */
  reportsDir?: string;
}

type Action = { type: 'key'; input: string; key: Key; ctx: ViewContext } | { type: 'intent-done'; intent: Intent } | { type: 'dialog'; dialog: Dialog | null }
  | PageLoaded
  | { type: 'follow-item'; pane: PaneId; index: number; page: number; count: number }
  | { type: 'team-moved'; index: number };

function reducer(s: ViewState, a: Action): ViewState {
  if (a.type === 'key') return reduceKey(s, a.input, a.key, a.ctx);
  if (a.type === 'dialog') return openDialog(s, a.dialog);
  if (a.type === 'page') return pageArrived(s, a.arrival, a.page);
  if (a.type === 'follow-item') return followItem(s, a.pane, a.index, a.page, a.count);
  // The same team at another place in the list: everything else about the view stays.
  if (a.type === 'team-moved') return { ...s, teamIndex: a.index };
  return clearIntent(s, a.intent);
}


export function App({ source, alerts: engine, clock, thresholds, readonly = false, initialTeam, size, writerFor, reportsDir, panes }: AppProps): React.JSX.Element {
  // Fault injection for the exit-path tests: a render that throws after the first frame.
  if (process.env.TEAMTOP_FAULT === 'render' && renderFault.armed++ > 0) throw new Error('injected fault (TEAMTOP_FAULT=render)');
  trace('react');
  const { exit } = useApp();
  const subscribeSource = useMemo(() => source.subscribe.bind(source), [source]);
  const snap = useSyncExternalStore(subscribeSource, () => source.getSnapshot());
  const alertsByTeam = useSyncExternalStore(engine.subscribe, engine.getSnapshot);
  const term = useTerminalSize(size);
  const [view, dispatch] = useReducer(reducer, undefined, () => {
    // A team asked for by name is shown even when it has no teammates.
    const asked = initialTeam ? snap.teams.find((t) => t.id === initialTeam) : undefined;
    const showEmpty = asked !== undefined && !visibleTeams(snap.teams, false).shown.includes(asked);
    const i = asked ? visibleTeams(snap.teams, showEmpty).shown.indexOf(asked) : 0;
    return initialViewState(Math.max(0, i), showEmpty);
  });

  // Teams with no teammates (sessions that never started one) fold into a count unless shown.
  const { shown: teams, folded } = useMemo(() => visibleTeams(snap.teams, view.showEmpty), [snap.teams, view.showEmpty]);
  // The team on screen stays on screen when others come or go (the list is sorted: a new team can
  // land before it): the index follows the team shown last, unless a key moved it since.
  // A team that goes for a while (folded when its teammates file empties) is shown again when it
  // is back; meanwhile the index shows another without moving the view to it.
  const pin = useRef<{ id: string; index: number } | null>(null);
  const keyMoved = pin.current === null || pin.current.index !== view.teamIndex;
  const pinnedAt = keyMoved ? -1 : teams.findIndex((t) => t.id === pin.current!.id);
  const teamIndex = pinnedAt >= 0 ? pinnedAt : Math.min(view.teamIndex, Math.max(0, teams.length - 1));
  const team = teams[teamIndex];
  useLayoutEffect(() => {
    if (pinnedAt >= 0) {
      pin.current = { id: pin.current!.id, index: pinnedAt };
      if (pinnedAt !== view.teamIndex) dispatch({ type: 'team-moved', index: pinnedAt });
    } else if (keyMoved && team) pin.current = { id: team.id, index: view.teamIndex };
  });
  const allAlerts = (team && alertsByTeam.get(team.id)) || NO_ALERTS;
  // Acknowledgements made under --readonly live for this session only.
  const [sessionAcks, setSessionAcks] = useState<ReadonlyMap<string, string>>(new Map());
  const [message, setMessage] = useState<string | null>(null);
  const acks = useMemo(() => (sessionAcks.size ? new Map([...(team?.acks ?? []), ...sessionAcks]) : team?.acks ?? new Map<string, string>()), [team?.acks, sessionAcks]);
  const { shown: teamAlerts, hidden: ackedAlerts } = useMemo(() => partitionAcked(allAlerts, acks), [allAlerts, acks]);
  const filters = useMemo(() => (view.editing ? { ...view.filters, [view.editing.pane]: view.editing.draft } : view.filters), [view.editing, view.filters]);
  // The mailbox beyond the in-memory window: pages read back from disk as the user scrolls.
  const scrollback = useMailboxHistory(team, view.follow, source, dispatch, view.pending);
  const mailboxStart = scrollback.list.start;
  const mailboxItems = scrollback.list.items ?? undefined;
  const lists = useMemo(() => deriveLists(team, teamAlerts, filters, mailboxItems), [team, teamAlerts, filters, mailboxItems]);

  const demand: Record<PaneId, number> = {
    teammates: lists.teammates.length + 1, tasks: (lists.tasks.length || tasksEmptyRows(team, term.columns)) + 1,
    mailbox: lists.mailbox.length + 1, alerts: Math.max(2, lists.alerts.length + 1),
  };
  const layout = computeLayout(term.columns, term.rows, demand, view.focus);
  const pageSize = { teammates: 0, tasks: 0, mailbox: 0, alerts: 0 } as Record<PaneId, number>;
  for (const row of layout.rows) for (const r of row) pageSize[r.pane] = Math.max(0, r.rows - 1);
  const counts = Object.fromEntries(PANES.map((p) => [p, lists[p].length])) as Record<PaneId, number>;
  const { olderMailbox, newerMailbox } = scrollback;
  // A dialog is a box over the panes: the whole width on a narrow terminal (a column of table
  // beside it reads as garbage), a margin of panes around it on a wide one. An open plan's box
  // size goes to the reducer (a plan taller than it scrolls).
  const dialogSize = { w: term.columns < 100 ? Math.max(20, term.columns) : Math.min(110, term.columns - 8), h: Math.max(6, term.rows - 4) };
  // Laid out once a frame: drawn by DialogView, measured by the reducer (a plan's box).
  const dialogBox = view.dialog ? dialogLayout(view.dialog, dialogSize.w, dialogSize.h) : undefined;
  const box = dialogBox && view.dialog?.kind === 'confirm' ? { total: dialogBox.total, room: dialogBox.room, ...(dialogBox.tooSmall ? { tooSmall: true } : {}) } : undefined;
  const teammateCount = team?.teammates.length ?? 0;
  const keyAt = (p: PaneId, i: number): string | null => {
    const x = lists[p][i];
    return x === undefined ? null : itemKey(p, x);
  };
  const ctxNow: ViewContext = { counts, pageSize, teamCount: teams.length, folded, olderMailbox, newerMailbox, mailboxBefore: scrollback.list.start, teammateCount, planBox: box, keyAt };
  const ctxRef = useRef<ViewContext>(ctxNow);
  // Keys are reduced against the layout of the frame on screen.
  useLayoutEffect(() => { ctxRef.current = ctxNow; });
  // The selection stays on its item when the list changes under it (not on its row number).
  const seen = useRef<Partial<Record<PaneId, Seen>>>({});
  useLayoutEffect(() => {
    for (const pane of PANES) {
      if (pane === 'mailbox' && view.follow) { seen.current[pane] = undefined; continue; }
      const sel = effectiveSelection(view, pane, counts[pane]);
      const base = pane === 'mailbox' ? mailboxStart : 0;
      const to = movedItem(pane, seen.current[pane], team?.id, lists, sel, base);
      if (to !== null) {
        dispatch({ type: 'follow-item', pane, index: to, page: pageSize[pane], count: counts[pane] });
        seen.current[pane] = { ...seen.current[pane]!, list: lists[pane], selected: to };
      } else seen.current[pane] = seenNow(pane, team?.id, lists, sel, base);
    }
  });
  const needsHistory = view.overlay?.kind === 'timeline' || (view.overlay?.kind === 'detail' && view.overlay.pane === 'alerts');
  const history = useHistory(team, needsHistory, thresholds, clock);

  useEffect(() => { if (view.quit) exit(); }, [view.quit, exit]);

  // A message is about the team it was said on: switching teams clears it.
  useEffect(() => { setMessage(null); }, [team?.id]);
  useEffect(() => {
    if (!message) return;
    const t = setTimeout(() => setMessage(null), 5000);
    return () => clearTimeout(t);
  }, [message]);

  const now = (): number => clock.now();
  const openDialogFn = (d: Dialog | null): void => dispatch({ type: 'dialog', dialog: d });
  const done = useCallback((intent: Intent) => dispatch({ type: 'intent-done', intent }), []);
  useIntents(view.intent, {
    ...actionHandlers({ team, lists, source, readonly, writerFor, now, openDialog: openDialogFn, say: setMessage }),
    ...recordHandlers({
      team, lists, source, readonly, writerFor, thresholds, now, reportsDir, say: setMessage, openDialog: openDialogFn,
      ackForSession: (id, fingerprint) => setSessionAcks((m) => new Map([...m, [id, fingerprint]])),
    }),
    say: (intent) => setMessage(intent.text),
    jump: (intent) => {
      const tm = teammateOfRow(team, lists, intent.pane, intent.index);
      if (!tm) { setMessage('select a teammate (or an alert about one) to go to its pane'); return; }
      if (!panes?.available) { setMessage('teamtop is not running inside tmux: there is no pane to go to from here'); return; }
      if (!tm.pane) { setMessage(`${shownId(tm.id)} has no tmux pane (it runs in-process or elsewhere)`); return; }
      void panes.jump(tm.pane).then((r) => { if (!r.ok) setMessage(`cannot go to ${shownId(tm.id)}'s pane: ${sanitize(r.reason)}`); });
    },
    // Scrolling past the loaded messages: read the page before (or after) them, by offset.
    older: (intent) => scrollback.older(intent, pageSize.mailbox),
    newer: () => scrollback.newer(pageSize.mailbox),
  }, done);

  // One stable handler (Ink re-subscribes a new one on every render otherwise).
  const onKey = useCallback((input: string, key: Key) => dispatch({ type: 'key', input, key, ctx: ctxRef.current }), []);
  useInput(onKey);
  // Keys read with one that changed the list under them, reduced against this frame's context.
  useEffect(() => {
    if (view.deferred !== null) dispatch({ type: 'key', input: view.deferred, key: NO_KEY, ctx: ctxRef.current });
  }, [view.deferred]);

  const bodyRows = Math.max(0, term.rows - 2);
  let body: React.JSX.Element;
  if (view.overlay?.kind === 'timeline' && team) {
    body = <TimelineOverlay team={team} history={history} filter={view.overlay.filter} scroll={view.overlay.scroll} width={term.columns} rows={bodyRows} />;
  } else if (view.overlay?.kind === 'help') {
    body = <HelpOverlay width={term.columns} rows={bodyRows} scroll={view.overlay.scroll} readonly={readonly} disabled={team?.capabilities.actions} available={{ jump: panes?.available === true }} />;
  } else if (view.overlay?.kind === 'detail' && team) {
    body = (
      <DetailOverlay
        team={team} lists={lists} pane={view.overlay.pane} index={detailIndex(view.overlay, lists)} scroll={view.overlay.scroll}
        width={term.columns} rows={bodyRows} clock={clock} thresholds={thresholds} history={history}
      />
    );
  } else {
    const selected = Object.fromEntries(PANES.map((p) => [p, effectiveSelection(view, p, counts[p])])) as Record<PaneId, number>;
    body = (
      <Panes
        layout={layout} team={team} lists={lists} view={view} selected={selected} clock={clock} thresholds={thresholds}
        ackedCount={ackedAlerts.length} mailboxFrom={scrollback.list}
      />
    );
  }
  if (view.dialog) {
    const { w } = dialogSize;
    body = (
      <Box width={term.columns} height={bodyRows} flexDirection="column">
        {body}
        <Box position="absolute" marginLeft={Math.max(0, Math.floor((term.columns - w) / 2))} marginTop={1}>
          <DialogView layout={dialogBox!} width={w} />
        </Box>
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={term.columns} height={term.rows}>
      <Header
        team={team} teamIndex={teamIndex} teamCount={teams.length} folded={folded} archived={snap.archived.length}
        alerts={teamAlerts} clock={clock} readonly={readonly} width={term.columns}
      />
      {body}
      <Footer editing={view.editing} message={message} errors={[...(team?.errors ?? []), ...snap.errors]} />
    </Box>
  );
}

const NO_ALERTS: readonly Alert[] = [];

const renderFault = { armed: 0 };
