// teammate-idle / teammate-stale / teammate-dead: heartbeat age brackets (seed: < 10 min online,
// 10–30 idle, 30–60 stale, > 60 dead).
import { makeAlert, type Alert, type Detector } from '../types.js';
import { formatAge } from '../../model/time.js';
import { shownId } from '../../safety/sanitize.js';

/** Statuses of teammates that are not expected to heartbeat any more. */
export const FINISHED_TEAMMATE = new Set(['done', 'complete', 'completed', 'reassigned', 'shutdown', 'ended']);

export type Bracket = 'online' | 'idle' | 'stale' | 'dead' | 'unknown';

export function heartbeatBracket(ageMs: number | null, t: { idleMinutes: number; staleMinutes: number; deadMinutes: number }): Bracket {
  if (ageMs === null) return 'unknown';
  const min = ageMs / 60_000;
  if (min > t.deadMinutes) return 'dead';
  if (min >= t.staleMinutes) return 'stale';
  if (min >= t.idleMinutes) return 'idle';
  return 'online';
}

export const heartbeat: Detector = ({ team, now, thresholds: t }) => {
  const out: Alert[] = [];
  for (const tm of team.teammates) {
    if (tm.status && FINISHED_TEAMMATE.has(tm.status.toLowerCase())) continue;
    // Proof beats activity: a pane that is gone or whose process exited is dead, whatever the
    // format's own flag (Claude Code's isActive) or the last activity says.
    if (tm.liveness?.state === 'dead') {
      out.push(makeAlert({
        kind: 'teammate-dead', severity: 'critical', subject: [tm.id],
        summary: `${shownId(tm.id)}: ${tm.liveness.signal} (dead)`,
        evidence: {
          liveness: tm.liveness.signal, last_activity: tm.lastHeartbeat === null ? null : new Date(tm.lastHeartbeat).toISOString(),
          signal: tm.activitySignal, format_says_active: tm.activeNow === true, task_current: tm.taskCurrent, status: tm.status,
        },
        material: { liveness: tm.liveness.signal },
        since: tm.lastHeartbeat,
        workflow: 'Dead: its process is gone. Checkpoint its work and reassign the task to another teammate (R).',
        actions: ['reassign'],
      }));
      continue;
    }
    if (tm.lastHeartbeat === null || tm.activeNow) continue;
    const age = now - tm.lastHeartbeat;
    const b = heartbeatBracket(age, t);
    if (b === 'online' || b === 'unknown') continue;
    const signal = tm.activitySignal === 'heartbeat' || tm.activitySignal === 'heartbeat_age' ? 'heartbeat' : 'activity';
    const evidence = {
      last_heartbeat: new Date(tm.lastHeartbeat).toISOString(),
      age_seconds: Math.floor(age / 1000),
      signal: tm.activitySignal,
      task_current: tm.taskCurrent,
      status: tm.status,
    };
    const ago = formatAge(age);
    // The quiet since this heartbeat is the problem; its growing age is not a new one.
    const material = { last_heartbeat: evidence.last_heartbeat };
    if (b === 'idle') {
      out.push(makeAlert({
        kind: 'teammate-idle', severity: 'high', subject: [tm.id],
        summary: `${shownId(tm.id)}: no ${signal} for ${ago} (idle)`,
        evidence, material, since: tm.lastHeartbeat + t.idleMinutes * 60_000,
        workflow: 'Send a wake-up message with a deadline (w); if no answer within 5 min, treat as crashed and reassign (R).',
        actions: ['wake', 'reassign'],
      }));
    } else if (b === 'stale') {
      out.push(makeAlert({
        kind: 'teammate-stale', severity: 'high', subject: [tm.id],
        summary: `${shownId(tm.id)}: no ${signal} for ${ago} (stale, likely crashed)`,
        evidence, material, since: tm.lastHeartbeat + t.staleMinutes * 60_000,
        workflow: 'Likely crashed: checkpoint its work and reassign the task (R); a last wake-up (w) is optional.',
        actions: ['reassign', 'wake'],
      }));
    } else {
      out.push(makeAlert({
        kind: 'teammate-dead', severity: 'critical', subject: [tm.id],
        summary: `${shownId(tm.id)}: no ${signal} for ${ago} (dead)`,
        evidence, material, since: tm.lastHeartbeat + t.deadMinutes * 60_000,
        workflow: 'Dead: abandon its current attempt, checkpoint and reassign the task to another teammate (R).',
        actions: ['reassign'],
      }));
    }
  }
  return out;
};
