// resume: a halted team goes back to work (reached with the halt key on a halted team).
import { msg, noTarget, refuse, type ActionDef, type Planner } from './action.js';

const plan: Planner = (team, args) => {
  if (team.info.status !== 'halted') refuse(`${team.id} is not halted (status: ${team.info.status ?? 'unknown'})`);
  return [
    { kind: 'set-team-status', status: 'active' },
    msg('all', 'team_resumed', 'high', { text: `Team resumed by the lead${args.reason ? `: ${args.reason}` : ''}. Continue from your checkpoints.`, reason: args.reason ?? null }),
  ];
};

export const RESUME: ActionDef = {
  name: 'resume',
  summary: 'set team_status active again and tell everyone',
  help: 'a halted team goes back to work; everyone is told (`team_resumed`)',
  usage: '[--reason TEXT]',
  target: noTarget,
  plan,
};
