import React, { useMemo } from 'react';
import { Box } from 'ink';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { Thresholds } from '../src/model/thresholds.js';
import type { Clock } from '../src/model/clock.js';
import type { Layout, PaneRect } from '../src/tui/layout.js';
import type { PaneLists } from '../src/tui/derive.js';
import { type ViewState } from '../src/tui/view-state.js';
import { PANE_TITLES, PANES, type PaneId } from '../src/tui/pane-ids.js';
import {
  ALERT_COLUMNS, MAILBOX_COLUMNS, TASK_COLUMNS, TEAMMATE_COLUMNS,
  ackState, alertCells, alertsEmpty, messageCells, taskCells, tasksEmpty, teammateCells,
} from '../src/tui/panes.js';
import { TablePane } from './TablePane.js';
import type { MailboxList } from '../src/tui/mailbox-window.js';
import { useTick } from './hooks.js';
import { formatAge } from '../src/model/time.js';
import { heartbeatBracket } from '../src/alerts/detectors/heartbeat.js';

interface PaneProps {
  rect: PaneRect;
  team: TeamSnapshot | undefined;
  lists: PaneLists;
  view: ViewState;
  selected: number;
  clock: Clock;
  thresholds: Thresholds;
  /** Subjects of the selected alert, highlighted in the other panes. */
  marked: ReadonlySet<string>;
  ackedCount: number;
  /** The mailbox list's place in the whole: where it starts, and whether it is a slice of history. */
  mailboxFrom: MailboxList;
}

function common(p: PaneProps, pane: PaneId): {
  index: number; title: string; width: number; rows: number; focused: boolean; selected: number; top: number;
  filter: string; editing: boolean; total: number;
} {
  const editing = p.view.editing?.pane === pane;
  return {
    index: PANES.indexOf(pane) + 1, title: PANE_TITLES[pane], width: p.rect.width, rows: p.rect.rows,
    focused: p.view.focus === pane, selected: p.selected, top: topFor(p, pane), filter: editing ? p.view.editing!.draft : p.view.filters[pane],
    editing, total: p.lists.totals[pane],
  };
}

/** The first visible row: as stored, but always showing the selection (and the tail when following). */
function topFor(p: PaneProps, pane: PaneId): number {
  const visible = Math.max(1, p.rect.rows - 1);
  const count = p.lists[pane].length;
  let top = p.view.top[pane];
  if (p.selected < top) top = p.selected;
  if (p.selected >= top + visible) top = p.selected - visible + 1;
  return Math.max(0, Math.min(top, count - visible));
}

/** The rows a pane shows (for computing what a tick would change). */
function visibleItems<T>(p: PaneProps, items: readonly T[], pane: PaneId): readonly T[] {
  const top = topFor(p, pane);
  return items.slice(top, top + Math.max(0, p.rect.rows - 1));
}

const TeammatesPane = React.memo(function TeammatesPane(p: PaneProps) {
  const now = useTick(p.clock, (t) => visibleItems(p, p.lists.teammates, 'teammates')
    .map((m) => (m.lastHeartbeat === null ? '' : `${formatAge(t - m.lastHeartbeat)}${heartbeatBracket(t - m.lastHeartbeat, p.thresholds)}`)).join());
  const team = p.team;
  return (
    <TablePane
      {...common(p, 'teammates')} columns={TEAMMATE_COLUMNS} items={p.lists.teammates}
      cells={(t) => teammateCells(t, team!, now, p.thresholds)} highlight={(t) => p.marked.has(t.id)}
      empty={team ? 'no teammates' : 'no team'}
    />
  );
});

const TasksPane = React.memo(function TasksPane(p: PaneProps) {
  const byId = useMemo(() => new Map((p.team?.tasks ?? []).map((t) => [t.id, t])), [p.team?.tasks]);
  return (
    <TablePane
      {...common(p, 'tasks')} columns={TASK_COLUMNS} items={p.lists.tasks}
      cells={(t) => taskCells(t, byId)} highlight={(t) => p.marked.has(t.id)} empty={tasksEmpty(p.team)}
    />
  );
});

const MailboxPane = React.memo(function MailboxPane(p: PaneProps) {
  const now = useTick(p.clock, (t) => (p.team ? visibleItems(p, p.lists.mailbox, 'mailbox').map((m) => ackState(m, p.team!, t, p.thresholds)).join() : ''));
  const { start, detached, items } = p.mailboxFrom;
  const follow = p.view.follow ? 'following'
    : detached && items ? `history ${start + 1}–${start + items.length} of ${p.lists.totals.mailbox} (G to follow)` : 'scrolled (G to follow)';
  return (
    <TablePane
      {...common(p, 'mailbox')} columns={MAILBOX_COLUMNS} items={p.lists.mailbox}
      cells={(m) => messageCells(m, p.team!, now, p.thresholds)} highlight={(m) => p.marked.has(String(m.sequence))}
      empty="no messages" note={p.lists.mailbox.length > 0 ? follow : undefined}
    />
  );
});

const AlertsPane = React.memo(function AlertsPane(p: PaneProps) {
  const now = useTick(p.clock, (t) => visibleItems(p, p.lists.alerts, 'alerts').map((a) => (a.since === null ? '' : formatAge(t - a.since))).join());
  return (
    <TablePane
      {...common(p, 'alerts')} columns={ALERT_COLUMNS} items={p.lists.alerts}
      cells={(a) => alertCells(a, now)} empty={alertsEmpty(p.team, p.ackedCount)}
      note={p.ackedCount ? `${p.ackedCount} acknowledged` : undefined}
    />
  );
});

const COMPONENT: Record<PaneId, React.ComponentType<PaneProps>> = {
  teammates: TeammatesPane, tasks: TasksPane, mailbox: MailboxPane, alerts: AlertsPane,
};

export function Panes({ layout, team, lists, view, selected, clock, thresholds, ackedCount, mailboxFrom }: {
  layout: Layout;
  team: TeamSnapshot | undefined;
  lists: PaneLists;
  view: ViewState;
  selected: Record<PaneId, number>;
  clock: Clock;
  thresholds: Thresholds;
  ackedCount: number;
  mailboxFrom: MailboxList;
}): React.JSX.Element {
  const alert = view.focus === 'alerts' ? lists.alerts[selected.alerts] : undefined;
  const marked = useMemo(() => new Set(alert?.subject ?? []), [alert]);
  return (
    <Box flexDirection="column">
      {layout.rows.map((row, i) => (
        <Box key={i} flexDirection="row" gap={row.length > 1 ? 1 : 0}>
          {row.map((rect) => {
            const C = COMPONENT[rect.pane];
            return (
              <C
                key={rect.pane} rect={rect} team={team} lists={lists} view={view} selected={selected[rect.pane]}
                clock={clock} thresholds={thresholds} marked={rect.pane === 'alerts' ? EMPTY : marked} ackedCount={ackedCount}
                mailboxFrom={mailboxFrom}
              />
            );
          })}
        </Box>
      ))}
    </Box>
  );
}

const EMPTY: ReadonlySet<string> = new Set();
