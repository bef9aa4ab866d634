// task-stuck: an in-progress task with no update for too long (seed: > 2 h, a silent failure or a
// loop). team-stalled: unfinished work but no task activity of any kind across the team for too long.
import { makeAlert, type Alert, type Detector } from '../types.js';
import { isUnfinished, type Task } from '../../model/types.js';
import { formatAge, isoOrNull } from '../../model/time.js';
import { PerItem } from '../../model/memo.js';
import { shownId } from '../../safety/sanitize.js';

const HOUR = 3_600_000;

const later = (a: number | null, b: number | null): number | null => (b !== null && (a === null || b > a) ? b : a);

/**
 * The alert made for each stuck task, with what it was made from: the clock re-asks every second,
 * but a stuck task's age as shown (minutes or hours) changes once a minute at most.
 */
interface Made {
  task: Task;
  summary: string;
  stuckLimit: number;
  alert: Alert;
}
const made = new PerItem<Made>();

/** Whether the alert made from `a` says what one made from `b` would (given the same summary). */
const sameFacts = (a: Task, b: Task): boolean => a === b || (a.id === b.id && a.owner === b.owner && a.updatedAt === b.updatedAt
  && a.startedAt === b.startedAt && (a.leaseUntil ?? null) === (b.leaseUntil ?? null));

export const taskStuck: Detector = ({ team, now, thresholds: t }) => {
  const out: Alert[] = [];
  const stuckLimit = t.taskStuckHours * HOUR;
  const memo = made.run(team.id);
  for (const task of team.tasks) {
    if (task.status !== 'in_progress') continue;
    const last = task.updatedAt ?? task.startedAt;
    // A claim whose lease ran out (formats with leases) is stuck whatever the update times say.
    const leaseOver = task.leaseUntil != null && now > task.leaseUntil;
    if (!leaseOver && (last === null || now - last <= stuckLimit)) continue;
    const who = `${shownId(task.id)}${task.owner ? ` (${shownId(task.owner)})` : ''}`;
    const summary = leaseOver
      ? `${who}: in progress, its claim ran out ${formatAge(now - task.leaseUntil!)} ago`
      : `${who}: in progress with no update for ${formatAge(now - last!)}`;
    const prev = memo.get(task.id);
    if (prev && prev.summary === summary && prev.stuckLimit === stuckLimit && sameFacts(prev.task, task)) {
      memo.keep(task.id, prev);
      out.push(prev.alert);
      continue;
    }
    const alert = makeAlert({
      kind: 'task-stuck', severity: 'high',
      subject: task.owner ? [task.id, task.owner] : [task.id],
      summary,
      evidence: {
        task_id: task.id, owner: task.owner, last_update: last === null ? null : new Date(last).toISOString(), started_at: isoOrNull(task.startedAt),
        ...(task.leaseUntil != null ? { lease_until: new Date(task.leaseUntil).toISOString() } : {}),
      },
      since: leaseOver ? task.leaseUntil! : last! + stuckLimit,
      workflow: 'Possibly a silent failure or a loop: ask the owner for a status (w); if none comes, reassign the task with a checkpoint (R).',
      actions: ['wake', 'reassign'],
    });
    memo.keep(task.id, { task, summary, stuckLimit, alert });
    out.push(alert);
  }
  memo.done();

  // One pass, no list per task: this runs on every tick over every task.
  let unfinished = 0;
  let completed = 0;
  let latest: number | null = null;
  for (const task of team.tasks) {
    if (isUnfinished(task)) unfinished++;
    else if (task.status === 'completed') completed++;
    latest = later(later(later(later(latest, task.completedAt), task.updatedAt), task.startedAt), task.createdAt);
  }
  // A team the lead has halted, aborted or closed is not expected to make progress.
  const paused = team.info.status === 'halted' || team.info.status === 'aborted' || team.info.status === 'complete';
  if (unfinished > 0 && !paused) {
    const stallLimit = t.teamStalledHours * HOUR;
    if (latest !== null && now - latest > stallLimit) {
      out.push(makeAlert({
        kind: 'team-stalled', severity: 'high', subject: [team.id],
        summary: `team ${shownId(team.id)}: no task activity for ${formatAge(now - latest)} with ${unfinished} task${unfinished === 1 ? '' : 's'} unfinished`,
        evidence: { last_activity: new Date(latest).toISOString(), unfinished, completed },
        since: latest + stallLimit,
        workflow: 'No completion signal for hours: split the remaining work and reassign it (R), or escalate and halt the team (h).',
        actions: ['reassign', 'halt'],
      }));
    }
  }
  return out;
};
