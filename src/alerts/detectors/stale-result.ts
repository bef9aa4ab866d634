// stale-result: a task was completed, then the requirements changed (a 'requirements_changed'
// event for that task, or for the whole team), so its result may be outdated (seed: a finished
// benchmark made worthless by a tighter tolerance an hour later).
import { makeAlert, type Alert, type Detector } from '../types.js';
import type { TeamEvent } from '../../model/types.js';
import { formatAge } from '../../model/time.js';

export const staleResult: Detector = ({ team }) => {
  const changes = team.events.filter((e): e is TeamEvent & { timestamp: number } =>
    e.type === 'requirements_changed' && e.timestamp !== null);
  if (changes.length === 0) return [];
  const out: Alert[] = [];
  for (const t of team.tasks) {
    if (t.status !== 'completed' || t.completedAt === null) continue;
    const done = t.completedAt;
    let latest: (TeamEvent & { timestamp: number }) | null = null;
    for (const e of changes) {
      if (e.timestamp <= done) continue;
      const target = e.data.task_id;
      if (target !== undefined && target !== null && String(target) !== t.id) continue;
      // On equal timestamps the later line in the event log wins.
      if (latest === null || e.timestamp >= latest.timestamp) latest = e;
    }
    if (latest === null) continue;
    const summary = typeof latest.data.summary === 'string' ? latest.data.summary : null;
    out.push(makeAlert({
      kind: 'stale-result', severity: 'medium', subject: [t.id],
      summary: `${t.id}: requirements changed ${formatAge(latest.timestamp - done)} after it was completed${summary ? ` (${summary})` : ''}`,
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
