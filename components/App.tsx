// The container: reads the stores, maps keys to commands, lays the panes out. Pure logic lives in
// src/tui (view-state reducer, layout, row builders); this file only wires it together.
import React, { useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import { Box, useApp, useInput, type Key } from 'ink';
import type { StateSource } from '../src/sources/source.js';
import type { AlertEngine } from '../src/alerts/engine.js';
import type { Thresholds } from '../src/alerts/config.js';
import type { Clock } from '../src/tui/clock.js';
import {
  clearIntent, effectiveSelection, initialViewState, openDialog, reduceKey, shiftMailbox, PANES, type Dialog, type PaneId, type ViewContext, type ViewState,
} from '../src/tui/view-state.js';
import { useActionFlow } from './useActionFlow.js';
import { DialogView } from './DialogView.js';
import { evidenceFingerprint, partitionAcked } from '../src/alerts/acks.js';
import { applyPlan } from '../src/actions/apply.js';
import type { Writer } from '../src/actions/types.js';
import type { Message } from '../src/model/types.js';
import { computeLayout } from '../src/tui/layout.js';
import { deriveLists } from '../src/tui/derive.js';
import { Header } from './Header.js';
import { Footer } from './Footer.js';
import { Panes } from './Panes.js';
import { DetailOverlay, HelpOverlay, TimelineOverlay } from './Overlays.js';
import { useHistory } from './useHistory.js';
import { resolveRepo } from '../src/actions/repo.js';
import { join } from 'node:path';
import { useTerminalSize, type Size } from './hooks.js';

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
  /** Where P writes post-mortems (default ./reports). */
  reportsDir?: string;
}

type Action = { type: 'key'; input: string; key: Key; ctx: ViewContext } | { type: 'intent-done' } | { type: 'dialog'; dialog: Dialog | null }
  | { type: 'older-loaded'; count: number; then: 'up' | 'page' | 'top'; page: number };

function reducer(s: ViewState, a: Action): ViewState {
  if (a.type === 'key') return reduceKey(s, a.input, a.key, a.ctx);
  if (a.type === 'dialog') return openDialog(s, a.dialog);
  if (a.type === 'older-loaded') return shiftMailbox(s, a.count, a.then, a.page);
  return clearIntent(s);
}

/** How many older messages one step back loads from disk. */
const OLDER_PAGE = 500;

export function App({ source, alerts: engine, clock, thresholds, readonly = false, initialTeam, size, writerFor, reportsDir }: AppProps): React.JSX.Element {
  // Fault injection for the exit-path tests: a render that throws after the first frame.
  if (process.env.TEAMTOP_FAULT === 'render' && renderFault.armed++ > 0) throw new Error('injected fault (TEAMTOP_FAULT=render)');
  const { exit } = useApp();
  const snap = useSyncExternalStore(source.subscribe.bind(source), () => source.getSnapshot());
  const alertsByTeam = useSyncExternalStore(engine.subscribe, engine.getSnapshot);
  const term = useTerminalSize(size);
  const [view, dispatch] = useReducer(reducer, undefined, () => {
    const i = initialTeam ? snap.teams.findIndex((t) => t.id === initialTeam) : 0;
    return initialViewState(Math.max(0, i));
  });

  const teamIndex = Math.min(view.teamIndex, Math.max(0, snap.teams.length - 1));
  const team = snap.teams[teamIndex];
  const allAlerts = (team && alertsByTeam.get(team.id)) || NO_ALERTS;
  // Acknowledgements made under --readonly live for this session only.
  const [sessionAcks, setSessionAcks] = useState<ReadonlyMap<string, string>>(new Map());
  const [message, setMessage] = useState<string | null>(null);
  const acks = useMemo(() => (sessionAcks.size ? new Map([...(team?.acks ?? []), ...sessionAcks]) : team?.acks ?? new Map<string, string>()), [team?.acks, sessionAcks]);
  const { shown: teamAlerts, hidden: ackedAlerts } = useMemo(() => partitionAcked(allAlerts, acks), [allAlerts, acks]);
  const filters = view.editing ? { ...view.filters, [view.editing.pane]: view.editing.draft } : view.filters;
  // Messages older than the in-memory window, read back from disk as the user scrolls up. They
  // stay valid while they end exactly where the window starts.
  const [older, setOlder] = useState<{ teamId: string; start: number; messages: Message[] } | null>(null);
  const olderValid = older !== null && team !== undefined && older.teamId === team.id && older.start + older.messages.length === team.mailbox.recentStart;
  const mailboxStart = olderValid ? older!.start : team?.mailbox.recentStart ?? 0;
  const mailboxItems = useMemo(() => (olderValid ? [...older!.messages, ...team!.mailbox.recent] : undefined), [olderValid, older, team?.mailbox.recent]);
  const lists = useMemo(() => deriveLists(team, teamAlerts, filters, mailboxItems), [team, teamAlerts, filters.teammates, filters.tasks, filters.mailbox, filters.alerts, mailboxItems]);

  const demand: Record<PaneId, number> = {
    teammates: lists.teammates.length + 1, tasks: lists.tasks.length + 1,
    mailbox: lists.mailbox.length + 1, alerts: Math.max(2, lists.alerts.length + 1),
  };
  const layout = computeLayout(term.columns, term.rows, demand, view.focus);
  const pageSize = { teammates: 0, tasks: 0, mailbox: 0, alerts: 0 } as Record<PaneId, number>;
  for (const row of layout.rows) for (const r of row) pageSize[r.pane] = Math.max(0, r.rows - 1);
  const counts = Object.fromEntries(PANES.map((p) => [p, lists[p].length])) as Record<PaneId, number>;
  const olderMailbox = mailboxStart > 0 && !team?.mailbox.indexing;
  const teammateCount = team?.teammates.length ?? 0;
  const ctxRef = useRef<ViewContext>({ counts, pageSize, teamCount: snap.teams.length, olderMailbox, teammateCount });
  ctxRef.current = { counts, pageSize, teamCount: snap.teams.length, olderMailbox, teammateCount };
  const needsHistory = view.overlay?.kind === 'timeline' || (view.overlay?.kind === 'detail' && view.overlay.pane === 'alerts');
  const history = useHistory(team, needsHistory, thresholds, () => clock.now());

  if (view.quit) queueMicrotask(() => exit());

  useEffect(() => {
    if (!message) return;
    const t = setTimeout(() => setMessage(null), 5000);
    return () => clearTimeout(t);
  }, [message]);

  useActionFlow({
    intent: view.intent, team, lists, source, readonly, writerFor, now: () => clock.now(),
    done: () => dispatch({ type: 'intent-done' }),
    openDialog: (dialog) => dispatch({ type: 'dialog', dialog }),
    say: setMessage,
  });

  // Scrolling above the oldest loaded message: read the page before it, by offset.
  const loadingOlder = useRef(false);
  useEffect(() => {
    const intent = view.intent;
    if (intent?.kind !== 'older' || !team) return;
    dispatch({ type: 'intent-done' });
    const start = Math.max(0, mailboxStart - OLDER_PAGE);
    const count = mailboxStart - start;
    if (count <= 0 || loadingOlder.current) return;
    loadingOlder.current = true;
    const prev = olderValid ? older!.messages : [];
    void source.readMailboxRange(team.id, start, count).then((messages) => {
      if (messages.length === 0) return;
      setOlder({ teamId: team.id, start, messages: [...messages, ...prev] });
      dispatch({ type: 'older-loaded', count: messages.length, then: intent.then, page: pageSize.mailbox });
    }).finally(() => { loadingOlder.current = false; });
  }, [view.intent]);

  // The post-mortem report and the lessons form: writes, outside the reducer.
  useEffect(() => {
    const intent = view.intent;
    if (!team || (intent?.kind !== 'postmortem' && intent?.kind !== 'lesson')) return;
    dispatch({ type: 'intent-done' });
    if (readonly) { setMessage('read-only: post-mortems and lessons are not written (started with --readonly)'); return; }
    const now = clock.now();
    const report = import('../src/report/index.js');
    if (intent.kind === 'postmortem') {
      setMessage('writing the post-mortem…');
      void report.then(({ writePostmortem, reportDirName }) => writePostmortem({ team, stateRoot: snap.root, thresholds, outDir: join(reportsDir ?? join(process.cwd(), 'reports'), reportDirName(team.id, now)), now }))
        .then((r) => setMessage(`post-mortem written to ${r.dir}`), (e: Error) => setMessage(`post-mortem failed: ${e.message}`));
      return;
    }
    const v = intent.values;
    void resolveRepo(team, snap.root).then(async (repo) => {
      if (!repo) { setMessage('this team has no git repository: lessons go to tasks/lessons.md in the team\'s repo'); return; }
      const { appendLesson, today } = await report;
      const file = await appendLesson(repo, { date: today(), team: team.id, type: v.type!, what: v.what!, learned: v.learned!, next: v.next! });
      setMessage(`lesson recorded in ${file}`);
    }).catch((e: Error) => setMessage(`could not record the lesson: ${e.message}`));
  }, [view.intent]);

  // Acknowledging an alert: a write, done outside the reducer.
  useEffect(() => {
    const intent = view.intent;
    if (!intent || intent.kind !== 'ack') return;
    dispatch({ type: 'intent-done' });
    if (team) {
      const alert = lists.alerts[intent.index];
      if (!alert) return;
      const fingerprint = evidenceFingerprint(alert);
      if (readonly || !writerFor) {
        setSessionAcks((m) => new Map([...m, [alert.id, fingerprint]]));
        setMessage(`acknowledged ${alert.id} for this session (read-only: not saved)`);
        return;
      }
      const plan = {
        action: 'ack-alert' as const, team: team.id, args: { alert: alert.id }, touchesRepo: false, notes: [],
        effects: [{ kind: 'ack-alert' as const, alertId: alert.id, fingerprint, summary: alert.summary }],
      };
      void applyPlan(plan, writerFor(team.id)).then(async (r) => {
        await source.refresh(team.id);
        setMessage(r.ok ? `acknowledged ${alert.id}: hidden until its evidence changes` : `could not acknowledge ${alert.id}: ${r.error}`);
      });
    }
  }, [view.intent]);

  // One stable handler (Ink re-subscribes a new one on every render otherwise).
  const onKey = useCallback((input: string, key: Key) => dispatch({ type: 'key', input, key, ctx: ctxRef.current }), []);
  useInput(onKey);

  const bodyRows = Math.max(0, term.rows - 2);
  let body: React.JSX.Element;
  if (view.dialog) {
    body = <DialogView dialog={view.dialog} width={term.columns} rows={bodyRows} />;
  } else if (view.overlay?.kind === 'timeline' && team) {
    body = <TimelineOverlay team={team} history={history} filter={view.overlay.filter} scroll={view.overlay.scroll} width={term.columns} rows={bodyRows} />;
  } else if (view.overlay?.kind === 'help') {
    body = <HelpOverlay width={term.columns} rows={bodyRows} scroll={view.overlay.scroll} readonly={readonly} disabled={team?.capabilities.actions} />;
  } else if (view.overlay?.kind === 'detail' && team) {
    body = (
      <DetailOverlay
        team={team} lists={lists} pane={view.overlay.pane} index={view.overlay.index} scroll={view.overlay.scroll}
        width={term.columns} rows={bodyRows} clock={clock} thresholds={thresholds} history={history}
      />
    );
  } else {
    const selected = Object.fromEntries(PANES.map((p) => [p, effectiveSelection(view, p, counts[p])])) as Record<PaneId, number>;
    body = (
      <Panes
        layout={layout} team={team} lists={lists} view={view} selected={selected} clock={clock} thresholds={thresholds}
        ackedCount={ackedAlerts.length}
      />
    );
  }

  return (
    <Box flexDirection="column" width={term.columns} height={term.rows}>
      <Header
        team={team} teamIndex={teamIndex} teamCount={snap.teams.length} archived={snap.archived.length}
        alerts={teamAlerts} clock={clock} readonly={readonly} width={term.columns}
      />
      {body}
      <Footer editing={view.editing} message={message} errors={[...(team?.errors ?? []), ...snap.errors]} />
    </Box>
  );
}

const NO_ALERTS: readonly import('../src/alerts/types.js').Alert[] = [];

const renderFault = { armed: 0 };
