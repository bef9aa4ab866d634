// deadlock: unfinished work exists, nothing is in progress, and every unfinished task is waiting
// (blocked / on hold, or on another unfinished or unknown task), so no one can move (seed: "all
// blocked, none in progress"). A pending task with nothing left to wait on can still be started.
import { makeAlert, type Detector } from '../types.js';
import { isUnfinished } from '../../model/types.js';

export const deadlock: Detector = ({ team }) => {
  const unfinished = team.tasks.filter(isUnfinished);
  if (unfinished.length === 0 || unfinished.some((t) => t.status === 'in_progress')) return [];
  const known = new Set(team.tasks.map((t) => t.id));
  const open = new Set(unfinished.map((t) => t.id));
  const tasks: Array<{ id: string; status: string; waits_on: string[] }> = [];
  for (const t of unfinished) {
    const waitsOn = [...new Set(t.dependsOn.filter((d) => open.has(d) || !known.has(d)))];
    if (t.status !== 'blocked' && t.status !== 'on_hold' && waitsOn.length === 0) return [];
    tasks.push({ id: t.id, status: t.status, waits_on: waitsOn });
  }
  tasks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const subject = [...new Set(tasks.map((t) => t.id))];
  let since: number | null = null;
  for (const t of unfinished) {
    const last = t.updatedAt ?? t.startedAt ?? t.createdAt;
    if (last !== null && (since === null || last > since)) since = last;
  }
  return [makeAlert({
    kind: 'deadlock', severity: 'critical', subject,
    summary: `deadlock: none of ${subject.length} unfinished task${subject.length === 1 ? '' : 's'} can move (all waiting, none in progress)`,
    evidence: { tasks }, since,
    workflow: 'Nothing can move: complete one task as lead override (c) or break the cycle (b), then tell the teammates to proceed.',
    actions: ['complete', 'break-cycle'],
  })];
};
