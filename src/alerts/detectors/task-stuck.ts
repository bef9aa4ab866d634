// task-stuck: an in-progress task with no update for too long (seed: > 2 h, a silent failure or a
// loop). team-stalled: unfinished work but no task activity of any kind across the team for too long.
import { makeAlert, type Alert, type Detector } from '../types.js';
import { isUnfinished } from '../../model/types.js';
import { formatAge, isoOrNull } from '../../model/time.js';

const HOUR = 3_600_000;

export const taskStuck: Detector = ({ team, now, thresholds: t }) => {
  const out: Alert[] = [];
  const stuckLimit = t.taskStuckHours * HOUR;
  for (const task of team.tasks) {
    if (task.status !== 'in_progress') continue;
    const last = task.updatedAt ?? task.startedAt;
    // A claim whose lease ran out (formats with leases) is stuck whatever the update times say.
    const leaseOver = task.leaseUntil != null && now > task.leaseUntil;
    if (!leaseOver && (last === null || now - last <= stuckLimit)) continue;
    const who = `${task.id}${task.owner ? ` (${task.owner})` : ''}`;
    out.push(makeAlert({
      kind: 'task-stuck', severity: 'high',
      subject: task.owner ? [task.id, task.owner] : [task.id],
      summary: leaseOver
        ? `${who}: in progress, its claim ran out ${formatAge(now - task.leaseUntil!)} ago`
        : `${who}: in progress with no update for ${formatAge(now - last!)}`,
      evidence: {
        task_id: task.id, owner: task.owner, last_update: last === null ? null : new Date(last).toISOString(), started_at: isoOrNull(task.startedAt),
        ...(task.leaseUntil != null ? { lease_until: new Date(task.leaseUntil).toISOString() } : {}),
      },
      since: leaseOver ? task.leaseUntil! : last! + stuckLimit,
      workflow: 'Possibly a silent failure or a loop: ask the owner for a status (w); if none comes, reassign the task with a checkpoint (R).',
      actions: ['wake', 'reassign'],
    }));
  }

  const unfinished = team.tasks.filter(isUnfinished).length;
  // A team the lead has halted, aborted or closed is not expected to make progress.
  const paused = team.info.status === 'halted' || team.info.status === 'aborted' || team.info.status === 'complete';
  if (unfinished > 0 && !paused) {
    let latest: number | null = null;
    for (const task of team.tasks) {
      for (const v of [task.completedAt, task.updatedAt, task.startedAt, task.createdAt]) {
        if (v !== null && (latest === null || v > latest)) latest = v;
      }
    }
    const stallLimit = t.teamStalledHours * HOUR;
    if (latest !== null && now - latest > stallLimit) {
      const completed = team.tasks.filter((x) => x.status === 'completed').length;
      out.push(makeAlert({
        kind: 'team-stalled', severity: 'high', subject: [team.id],
        summary: `team ${team.id}: no task activity for ${formatAge(now - latest)} with ${unfinished} task${unfinished === 1 ? '' : 's'} unfinished`,
        evidence: { last_activity: new Date(latest).toISOString(), unfinished, completed },
        since: latest + stallLimit,
        workflow: 'No completion signal for hours: split the remaining work and reassign it (R), or escalate and halt the team (h).',
        actions: ['reassign', 'halt'],
      }));
    }
  }
  return out;
};
