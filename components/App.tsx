// The container: reads the stores, maps keys to commands, lays the panes out. Pure logic lives in
// src/tui (view-state reducer, layout, row builders); this file only wires it together.
import React, { useCallback, useMemo, useReducer, useRef, useSyncExternalStore } from 'react';
import { Box, useApp, useInput, type Key } from 'ink';
import type { StateSource } from '../src/sources/source.js';
import type { AlertEngine } from '../src/alerts/engine.js';
import type { Thresholds } from '../src/alerts/config.js';
import type { Clock } from '../src/tui/clock.js';
import {
  effectiveSelection, initialViewState, reduceKey, PANES, type PaneId, type ViewContext, type ViewState,
} from '../src/tui/view-state.js';
import { computeLayout } from '../src/tui/layout.js';
import { deriveLists } from '../src/tui/derive.js';
import { Header } from './Header.js';
import { Footer } from './Footer.js';
import { Panes } from './Panes.js';
import { DetailOverlay, HelpOverlay } from './Overlays.js';
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
}

type Action = { type: 'key'; input: string; key: Key; ctx: ViewContext };

function reducer(s: ViewState, a: Action): ViewState {
  return reduceKey(s, a.input, a.key, a.ctx);
}

export function App({ source, alerts: engine, clock, thresholds, readonly = false, initialTeam, size }: AppProps): React.JSX.Element {
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
  const teamAlerts = (team && alertsByTeam.get(team.id)) || [];
  const filters = view.editing ? { ...view.filters, [view.editing.pane]: view.editing.draft } : view.filters;
  const lists = useMemo(() => deriveLists(team, teamAlerts, filters), [team, teamAlerts, filters.teammates, filters.tasks, filters.mailbox, filters.alerts]);

  const demand: Record<PaneId, number> = {
    teammates: lists.teammates.length + 1, tasks: lists.tasks.length + 1,
    mailbox: lists.mailbox.length + 1, alerts: Math.max(2, lists.alerts.length + 1),
  };
  const layout = computeLayout(term.columns, term.rows, demand, view.focus);
  const pageSize = { teammates: 0, tasks: 0, mailbox: 0, alerts: 0 } as Record<PaneId, number>;
  for (const row of layout.rows) for (const r of row) pageSize[r.pane] = Math.max(0, r.rows - 1);
  const counts = Object.fromEntries(PANES.map((p) => [p, lists[p].length])) as Record<PaneId, number>;
  const ctxRef = useRef<ViewContext>({ counts, pageSize, teamCount: snap.teams.length });
  ctxRef.current = { counts, pageSize, teamCount: snap.teams.length };

  if (view.quit) queueMicrotask(() => exit());

  // One stable handler (Ink re-subscribes a new one on every render otherwise).
  const onKey = useCallback((input: string, key: Key) => dispatch({ type: 'key', input, key, ctx: ctxRef.current }), []);
  useInput(onKey);

  const bodyRows = Math.max(0, term.rows - 2);
  let body: React.JSX.Element;
  if (view.overlay?.kind === 'help') {
    body = <HelpOverlay width={term.columns} rows={bodyRows} scroll={view.overlay.scroll} readonly={readonly} />;
  } else if (view.overlay?.kind === 'detail' && team) {
    body = (
      <DetailOverlay
        team={team} lists={lists} pane={view.overlay.pane} index={view.overlay.index} scroll={view.overlay.scroll}
        width={term.columns} rows={bodyRows} clock={clock} thresholds={thresholds}
      />
    );
  } else {
    const selected = Object.fromEntries(PANES.map((p) => [p, effectiveSelection(view, p, counts[p])])) as Record<PaneId, number>;
    body = (
      <Panes
        layout={layout} team={team} lists={lists} view={view} selected={selected} clock={clock} thresholds={thresholds}
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
      <Footer editing={view.editing} message={null} errors={[...(team?.errors ?? []), ...snap.errors]} />
    </Box>
  );
}
