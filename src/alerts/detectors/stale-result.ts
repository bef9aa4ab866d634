// stale-result: a task was completed, then the requirements changed (a 'requirements_changed'
// event for that task, or for the whole team), so its result may be outdated (seed: a finished
// benchmark made worthless by a tighter tolerance an hour later).
import { makeAlert, type Alert, type Detector } from '../types.js';
import type { TeamEvent } from '../../model/types.js';
import { formatAge } from '../../model/time.js';
import { shownId } from '../../safety/sanitize.js';

interface Change { e: TeamEvent & { timestamp: number }; index: number }

/** The later of two changes: the greater timestamp; on equal timestamps the later line of the log. */
function later(a: Change | null | undefined, b: Change | null | undefined): Change | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return b.e.timestamp > a.e.timestamp || (b.e.timestamp === a.e.timestamp && b.index > a.index) ? b : a;
}

export const staleResult: Detector = ({ team }) => {
  // One pass over the events: the latest change for the whole team, and the latest per task. A
  // task's latest change after its completion is the later of its two, when that is after it
  // (linear in tasks + events, not their product).
  let forAll: Change | null = null;
  const forTask = new Map<string, Change>();
  for (let index = 0; index < team.events.length; index++) {
    const e = team.events[index]!;
    if (e.type !== 'requirements_changed' || e.timestamp === null) continue;
    const c: Change = { e: e as TeamEvent & { timestamp: number }, index };
    const target = e.data.task_id;
    if (target === undefined || target === null) forAll = later(forAll, c);
    else {
      const id = String(target);
      forTask.set(id, later(forTask.get(id), c)!);
    }
  }
  if (forAll === null && forTask.size === 0) return [];
  const out: Alert[] = [];
  for (const t of team.tasks) {
    if (t.status !== 'completed' || t.completedAt === null) continue;
    const done = t.completedAt;
    const c = later(forAll, forTask.get(t.id));
    const latest = c !== null && c.e.timestamp > done ? c.e : null;
    if (latest === null) continue;
    const summary = typeof latest.data.summary === 'string' ? latest.data.summary : null;
    out.push(makeAlert({
      kind: 'stale-result', severity: 'medium', subject: [t.id],
      summary: `${shownId(t.id)}: requirements changed ${formatAge(latest.timestamp - done)} after it was completed${summary ? ` (${summary})` : ''}`,
      evidence: {
        task_id: t.id,
        completed_at: new Date(done).toISOString(),
        requirements_changed_at: new Date(latest.timestamp).toISOString(),
        summary,
      },
      since: latest.timestamp,
      workflow: 'The result predates the new requirements: tell the owner now (w) and create a follow-up task with the refined requirements.',
      actions: ['wake'],
    }));
  }
  return out;
};
