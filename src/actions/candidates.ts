// Who can take over a task: every teammate but its owner and the lead, best first — alive and
// recently heard from, room left in its context, fewest open tasks — each with the facts that
// ranked it and a warning when it is a poor choice (stale or dead, context nearly full).
import type { TeamSnapshot } from '../model/snapshot.js';
import type { Teammate } from '../model/types.js';
import { isUnfinished } from '../model/types.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../model/thresholds.js';
import { formatAge } from '../model/time.js';
import { contextMaxOf } from '../model/context-window.js';
import { shownId } from '../safety/sanitize.js';

export interface Candidate {
  id: string;
  label: string;
  /** Why it is a poor choice, when it is one. */
  warnings: string[];
}

const FINISHED = new Set(['done', 'completed', 'finished', 'ended', 'aborted', 'shutdown']);

function facts(team: TeamSnapshot, m: Teammate, now: number, th: Thresholds): { rank: number[]; label: string; warnings: string[] } {
  const age = m.activeNow ? 0 : m.lastHeartbeat === null ? null : now - m.lastHeartbeat;
  const max = contextMaxOf(m, th.contextWindows);
  const pct = m.contextUsed !== null && max ? (m.contextUsed / max) * 100 : null;
  const open = team.tasks.filter((t) => t.owner === m.id && isUnfinished(t)).length;
  const warnings: string[] = [];
  // How bad the warnings are: gone or done worst, silent next, a full context least.
  let badness = 0;
  const dead = m.liveness?.state === 'dead' || (age !== null && age >= th.deadMinutes * 60_000);
  if (dead) { warnings.push('dead'); badness += 4; }
  else if (age !== null && age >= th.staleMinutes * 60_000) { warnings.push(`stale (${formatAge(age)})`); badness += 2; }
  else if (age === null) { warnings.push('never heard from'); badness += 2; }
  if (pct !== null && pct >= th.contextHighPercent) { warnings.push(`context ${Math.round(pct)}%`); badness += 1; }
  if (m.status && FINISHED.has(m.status.toLowerCase())) { warnings.push(m.status); badness += 4; }
  const parts = [
    age === null ? 'no activity seen' : m.activeNow ? 'active now' : `heard ${formatAge(age)} ago`,
    pct === null ? null : `context ${Math.round(pct)}%`,
    `${open} open task${open === 1 ? '' : 's'}`,
  ].filter(Boolean);
  const label = `${shownId(m.id)}${m.name ? ` (${m.name})` : ''} — ${parts.join(' · ')}${warnings.length ? `  ⚠ ${warnings.join(', ')}` : ''}`;
  // Lower is better: how bad its warnings are, then open tasks, context used, time since heard.
  const rank = [badness, open, pct === null ? 50 : pct, age ?? Number.MAX_SAFE_INTEGER];
  return { rank, label, warnings };
}

/** The teammates that could take `taskId`, best first. */
export function reassignCandidates(team: TeamSnapshot, taskId: string | undefined, now: number, th: Thresholds = DEFAULT_THRESHOLDS): Candidate[] {
  const task = team.tasks.find((x) => x.id === taskId);
  const list = team.teammates.filter((m) => m.id !== task?.owner && m.id !== team.info.lead.id)
    .map((m) => ({ m, f: facts(team, m, now, th) }));
  list.sort((a, b) => {
    for (let i = 0; i < a.f.rank.length; i++) if (a.f.rank[i] !== b.f.rank[i]) return a.f.rank[i]! - b.f.rank[i]!;
    return a.m.id.localeCompare(b.m.id);
  });
  return list.map(({ m, f }) => ({ id: m.id, label: f.label, warnings: f.warnings }));
}
