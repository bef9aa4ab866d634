import React from 'react';
import { Text } from 'ink';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { Alert } from '../src/alerts/types.js';
import type { Clock } from '../src/model/clock.js';
import { formatClock } from '../src/model/time.js';
import { SEVERITY_LABEL, type Severity } from '../src/model/types.js';
import { SEVERITY_COLOR } from '../src/tui/panes.js';
import { sanitize, shownId } from '../src/safety/sanitize.js';
import { useTick } from './hooks.js';
import { cellWidth } from '../src/tui/columns.js';

export function Header({ team, teamIndex, teamCount, folded = 0, archived, alerts, clock, readonly, width }: {
  team: TeamSnapshot | undefined;
  teamIndex: number;
  teamCount: number;
  /** Teams with no teammates not listed (e shows them). */
  folded?: number;
  archived: number;
  alerts: readonly Alert[];
  clock: Clock;
  readonly: boolean;
  width: number;
}): React.JSX.Element {
  // Minutes only: a clock with seconds would redraw the whole frame every second.
  const now = useTick(clock, (t) => formatClock(t).slice(0, 5));
  const by = { critical: 0, high: 0, medium: 0, low: 0 } as Record<string, number>;
  for (const a of alerts) by[a.severity] = (by[a.severity] ?? 0) + 1;
  const counts = (['critical', 'high', 'medium', 'low'] as const).filter((s) => by[s]! > 0);
  const total = team?.mailbox.aggregates.total ?? 0;
  const parts = headerParts({ team, teamIndex, teamCount, folded, archived, readonly, counts, by, total, now: formatClock(now).slice(0, 5) });
  return (
    <Text wrap="truncate-end">
      {fitHeader(parts, width).map((p, i) => (
        <Text key={i} color={p.color} bold={p.bold} dimColor={p.dim}>{p.text}</Text>
      ))}
    </Text>
  );
}

/** One piece of the header; `drop` orders what gives way first on a narrow terminal (0 never). */
export interface HeaderPart { text: string; color?: string; bold?: boolean; dim?: boolean; drop: number; short?: string }

function headerParts(h: {
  team: TeamSnapshot | undefined; teamIndex: number; teamCount: number; folded: number; archived: number; readonly: boolean;
  counts: readonly Severity[]; by: Record<string, number>; total: number; now: string;
}): HeaderPart[] {
  const { team } = h;
  const sep: HeaderPart = { text: ' │ ', drop: 0 };
  const out: HeaderPart[] = [{ text: 'teamtop', bold: true, color: 'cyan', drop: 0 }];
  if (h.readonly) out.push({ text: ' [read-only]', color: 'yellow', drop: 0, short: ' [ro]' });
  out.push(sep, { text: team ? shownId(team.id) : 'no team', bold: true, drop: 0 });
  if (h.teamCount > 1) out.push({ text: ` [${h.teamIndex + 1}/${h.teamCount}]`, dim: true, drop: 3 });
  if (h.folded > 0) out.push({ text: ` +${h.folded} hidden (e)`, dim: true, drop: 4, short: ` +${h.folded}` });
  if (team?.endedAt != null) out.push({ text: ` ended ${formatClock(team.endedAt).slice(0, 5)}`, color: 'yellow', drop: 0 });
  if (team?.info.status) out.push({ text: ` ${team.info.status}`, color: team.info.status === 'active' ? 'green' : 'yellow', drop: 2 });
  if (team?.origin && (team.origin.cwd || team.origin.startedAt !== null)) out.push({ text: ` · ${originText(team.origin)}`, dim: true, drop: 6 });
  out.push({ ...sep, drop: 5 }, {
    text: `${team?.teammates.length ?? 0} tm · ${team?.tasks.length ?? 0} tasks · ${h.total} msgs`, drop: 5,
    short: `${team?.teammates.length ?? 0}tm ${team?.tasks.length ?? 0}t ${h.total}msg`,
  });
  if (team?.mailbox.indexing) out.push({ text: ` (indexing ${Math.floor((team.mailbox.progress ?? 0) * 100)}%)`, color: 'yellow', drop: 1, short: ` (idx ${Math.floor((team.mailbox.progress ?? 0) * 100)}%)` });
  out.push(sep);
  if (h.counts.length === 0) out.push({ text: 'no alerts', color: 'green', drop: 0 });
  else h.counts.forEach((s, i) => out.push({ text: `${i ? ' ' : ''}${h.by[s]} ${SEVERITY_LABEL[s].toLowerCase()}`, color: SEVERITY_COLOR[s], bold: s === 'critical', drop: 0, short: `${i ? ' ' : ''}${h.by[s]}${SEVERITY_LABEL[s].toLowerCase()[0]}` }));
  if (h.archived > 0) out.push({ text: ` │ ${h.archived} archived`, dim: true, drop: 0, short: ` │ ${h.archived} arch` });
  out.push({ text: ` │ ${h.now}`, dim: true, drop: 0 });
  return out;
}

/**
 * The parts that fit in `width` cells: the clock, the alert counts and the archive count stay;
 * the rest is shortened, then left out, the most droppable first.
 */
export function fitHeader(parts: readonly HeaderPart[], width: number): HeaderPart[] {
  let out = parts.map((p) => ({ ...p }));
  const len = (): number => out.reduce((n, p) => n + cellWidth(p.text), 0);
  const order = [...new Set(out.map((p) => p.drop).filter((d) => d > 0))].sort((a, b) => b - a);
  // Shorten first (most droppable first), then leave out, in the same order.
  for (const d of order) {
    if (len() <= width) break;
    for (const p of out) if (p.drop === d && p.short !== undefined) { p.text = p.short; p.short = undefined; }
  }
  for (const d of order) {
    if (len() <= width) break;
    out = out.filter((p) => p.drop !== d);
  }
  // Still too wide: shorten what never goes (alert counts, the archive count).
  if (len() > width) for (const p of out) if (p.short !== undefined) p.text = p.short;
  return out;
}

/** "~/billing-api, started 14:02" (the project a session team works in, and when it began). */
function originText(o: { cwd: string | null; startedAt: number | null }): string {
  const home = process.env.HOME;
  const cwd = o.cwd ? sanitize(home && o.cwd.startsWith(`${home}/`) ? `~${o.cwd.slice(home.length)}` : o.cwd) : null;
  const started = o.startedAt === null ? null : `started ${formatClock(o.startedAt).slice(0, 5)}`;
  return [cwd, started].filter(Boolean).join(', ');
}
