// wake: an urgent wake_up to a silent teammate (answer required within 5 min), built from its
// state and latest checkpoint (seed Workflow A).
import { latestCheckpoint } from '../model/snapshot.js';
import { formatAge } from '../model/time.js';
import { isUnfinished } from '../model/types.js';
import { clock, msg, teammateOf, type ActionDef, type Planner } from './action.js';
import { teammateTarget } from './targets.js';

const plan: Planner = (team, args, ctx) => {
  const tm = teammateOf(team, args.target);
  const cp = latestCheckpoint(team, tm.id);
  const silent = tm.lastHeartbeat === null ? null : ctx.now - tm.lastHeartbeat;
  // The teammate's own "current task" may be one the task list says is finished (the lead
  // completed it as an override, or it was reassigned): then its progress is not news, and the
  // message names what the task list still gives it, if anything.
  const own = team.tasks.find((t) => t.id === tm.taskCurrent || (t.name !== null && t.name === tm.taskCurrent));
  const stale = own !== undefined && (!isUnfinished(own) || (own.owner !== null && own.owner !== tm.id));
  const open = team.tasks.filter((t) => t.owner === tm.id && isUnfinished(t));
  const task = stale ? (open[0] ? open[0].name ?? open[0].id : null) : tm.taskCurrent;
  const completion = stale ? null : tm.completionPercent ?? cp?.completionPercent ?? null;
  const deadline = ctx.now + 5 * 60_000;
  const lastAction = cp?.lastAction ?? null;
  const parts = [
    // "No heartbeat for 1s" is not news: a recent one is a plain status check.
    silent === null ? 'Status check: teamtop has no heartbeat from you.'
      : silent < 60_000 ? 'Status check from the lead.' : `Status check: no heartbeat from you for ${formatAge(silent)}.`,
    lastAction ? `Your last recorded action: ${lastAction}.` : null,
    stale ? `"${tm.taskCurrent}" is ${!isUnfinished(own) ? own.status : `now ${own.owner}'s`}: leave it.` : null,
    completion !== null ? `You are at ${completion}%${task ? ` on "${task}"` : ''}.` : task ? `Your task: "${task}".` : null,
    `Reply with your status by ${clock(deadline)} UTC (5 min)${task ? ', or the task will be reassigned' : ''}.`,
  ].filter(Boolean);
  return [msg(tm.id, 'wake_up', 'urgent', {
    text: parts.join(' '),
    silent_for_seconds: silent === null ? null : Math.floor(silent / 1000),
    last_action: lastAction,
    completion_percent: completion,
    task,
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
