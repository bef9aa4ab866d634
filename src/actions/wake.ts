// wake: an urgent wake_up to a silent teammate (answer required within 5 min), built from its
// state and latest checkpoint (seed Workflow A).
import { latestCheckpoint } from '../model/snapshot.js';
import { formatAge } from '../model/time.js';
import { clock, msg, teammateOf, type ActionDef, type Planner } from './action.js';
import { teammateTarget } from './targets.js';

const plan: Planner = (team, args, ctx) => {
  const tm = teammateOf(team, args.target);
  const cp = latestCheckpoint(team, tm.id);
  const silent = tm.lastHeartbeat === null ? null : ctx.now - tm.lastHeartbeat;
  const completion = tm.completionPercent ?? cp?.completionPercent ?? null;
  const deadline = ctx.now + 5 * 60_000;
  const lastAction = cp?.lastAction ?? null;
  const parts = [
    // "No heartbeat for 1s" is not news: a recent one is a plain status check.
    silent === null ? 'Status check: teamtop has no heartbeat from you.'
      : silent < 60_000 ? 'Status check from the lead.' : `Status check: no heartbeat from you for ${formatAge(silent)}.`,
    lastAction ? `Your last recorded action: ${lastAction}.` : null,
    completion !== null ? `You are at ${completion}%${tm.taskCurrent ? ` on "${tm.taskCurrent}"` : ''}.` : tm.taskCurrent ? `Your task: "${tm.taskCurrent}".` : null,
    `Reply with your status by ${clock(deadline)} UTC (5 min), or the task will be reassigned.`,
  ].filter(Boolean);
  return [msg(tm.id, 'wake_up', 'urgent', {
    text: parts.join(' '),
    silent_for_seconds: silent === null ? null : Math.floor(silent / 1000),
    last_action: lastAction,
    completion_percent: completion,
    task: tm.taskCurrent,
    deadline: new Date(deadline).toISOString(),
  }, { required_response: true, timeout: '5min' })];
};

export const WAKE: ActionDef = {
  name: 'wake',
  key: 'w',
  keyHelp: "send a wake-up to the selected teammate (or the teammate of the selected alert)",
  summary: 'a wake_up message (urgent, answer within 5 min) built from its state',
  help: 'an urgent `wake_up` to the teammate (answer required within 5 min), built from its state and latest checkpoint: how long it has been silent, its last action, its completion, the deadline',
  usage: 'TEAMMATE',
  target: (team, sel) => teammateTarget('wake', team, sel),
  plan,
};
