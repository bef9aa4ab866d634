import React from 'react';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { Thresholds } from '../src/model/thresholds.js';
import type { Clock } from '../src/model/clock.js';
import type { PaneLists } from '../src/tui/derive.js';
import type { PaneId } from '../src/tui/pane-ids.js';
import { helpSections, overlayHint, type Availability } from '../src/tui/keymap.js';
import { alertDetail, messageDetail, taskDetail, teammateDetail, type DetailLine } from '../src/tui/details.js';
import { Overlay } from './Overlay.js';
import { sanitize, shownId } from '../src/safety/sanitize.js';
import { useTick } from './hooks.js';
import type { History } from './useHistory.js';
import { filterTimeline } from '../src/report/timeline.js';
import { recoveryLines, spanOf, timelineLines } from '../src/tui/history-view.js';

const DETAIL_HINT = overlayHint('detail');

export function HelpOverlay({ width, rows, scroll, readonly, disabled, available }: {
  width: number; rows: number; scroll: number; readonly: boolean;
  /** Keys that exist only where the environment allows them. */
  available?: Availability;
  /** Actions this team's format cannot express, with the reason. */
  disabled?: Record<string, true | string>;
}): React.JSX.Element {
  const lines: DetailLine[] = [];
  const off = Object.entries(disabled ?? {}).filter(([, v]) => typeof v === 'string');
  if (off.length) {
    lines.push({ text: 'Not available for this team', bold: true, color: 'yellow' });
    for (const [action, why] of off) lines.push({ text: `  ${action}: ${why}`, color: 'yellow' });
  }
  const sections = helpSections(readonly, available);
  for (const s of sections) {
    if (lines.length) lines.push({ text: '' });
    lines.push({ text: s.title, bold: true, color: 'cyan' });
    let w = 0;
    for (const r of s.rows) if (r.keys.length > w) w = r.keys.length;
    // A long description continues under itself, not at the keys' column.
    for (const r of s.rows) lines.push({ text: `  ${r.keys.padEnd(w)}  ${r.description}`, hang: w + 4 });
  }
  if (readonly) lines.push({ text: '' }, { text: 'Read-only mode: every action that writes state is disabled.', color: 'yellow' });
  const keys = sections.reduce((n, s) => n + s.rows.length, 0);
  return <Overlay title={`Help — ${keys} keys`} unit="lines" lines={lines} scroll={scroll} width={width} rows={rows} hint={overlayHint('help')} />;
}

export function TimelineOverlay({ team, history, filter, scroll, width, rows }: {
  team: TeamSnapshot; history: History | null; filter: number; scroll: number; width: number; rows: number;
}): React.JSX.Element {
  const who = filter >= 0 ? team.teammates[filter]?.id : undefined;
  const lines = React.useMemo(() => {
    if (!history) return [{ text: '  building the timeline…' }];
    if (history.error) return [{ text: `  the timeline could not be built: ${sanitize(history.error)}`, color: 'red' }];
    return timelineLines(who ? filterTimeline(history.timeline, who) : history.timeline);
  }, [history, who]);
  const title = `Timeline — ${who ? `teammate ${shownId(who)}` : 'everyone'}${team.mailbox.recentStart > 0 ? ` (the last ${team.mailbox.recent.length} messages)` : ''}`;
  return <Overlay title={title} lines={lines} scroll={scroll} width={width} rows={rows} hint={overlayHint('timeline')} />;
}

export function DetailOverlay({ team, lists, pane, index, scroll, width, rows, clock, thresholds, history }: {
  team: TeamSnapshot;
  lists: PaneLists;
  pane: PaneId;
  index: number;
  scroll: number;
  width: number;
  rows: number;
  clock: Clock;
  thresholds: Thresholds;
  history: History | null;
}): React.JSX.Element {
  const build = (t: number): { lines: DetailLine[]; title: string } => {
    const d = detailFor(team, lists, pane, index, t, thresholds);
    const alert = pane === 'alerts' ? lists.alerts[index] : undefined;
    if (alert) {
      d.lines = history?.error
        ? [...d.lines, { text: '' }, { text: `Time to recover: the history could not be read: ${sanitize(history.error)}`, color: 'red' }]
        : [...d.lines, ...recoveryLines(history ? spanOf(history.spans, alert) : undefined, t, history === null)];
    }
    return d;
  };
  const now = useTick(clock, (t) => build(t).lines.map((l) => l.text).join('\n'));
  const { lines, title } = build(now);
  return <Overlay title={title} lines={lines} scroll={scroll} width={width} rows={rows} hint={DETAIL_HINT} />;
}

function detailFor(team: TeamSnapshot, lists: PaneLists, pane: PaneId, index: number, now: number, thresholds: Thresholds): { lines: DetailLine[]; title: string } {
  const noun = { teammates: 'teammate', tasks: 'task', mailbox: 'message', alerts: 'alert' }[pane];
  let lines: DetailLine[] = [{ text: `This ${noun} is gone: it is no longer in the team's files (or no longer raised).`, color: 'yellow' }];
  let title = 'Detail';
  if (pane === 'teammates' && lists.teammates[index]) {
    lines = teammateDetail(lists.teammates[index]!, team, now);
    title = 'Teammate';
  } else if (pane === 'tasks' && lists.tasks[index]) {
    lines = taskDetail(lists.tasks[index]!, team);
    title = 'Task';
  } else if (pane === 'mailbox' && lists.mailbox[index]) {
    lines = messageDetail(lists.mailbox[index]!, team, now, thresholds);
    title = 'Message';
  } else if (pane === 'alerts' && lists.alerts[index]) {
    lines = alertDetail(lists.alerts[index]!, now);
    title = 'Alert';
  }
  return { lines, title };
}
