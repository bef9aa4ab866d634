// halt: stop the whole team (team_status halted) and tell everyone; on a halted team the same
// key resumes it.
import { msg, noTarget, refuse, type ActionDef, type Planner } from './action.js';

const plan: Planner = (team, args) => {
  if (team.info.status === 'halted') refuse(`${team.id} is already halted`);
  if (team.info.status === 'aborted') refuse(`${team.id} is aborted`);
  return [
    { kind: 'set-team-status', status: 'halted' },
    msg('all', 'team_halted', 'critical', { text: `Team halted by the lead${args.reason ? `: ${args.reason}` : ''}. Checkpoint your work and wait for recovery.`, reason: args.reason ?? null }),
  ];
};

export const HALT: ActionDef = {
  name: 'halt',
  label: 'halt / resume',
  key: 'h',
  keyHelp: "halt the team, or resume it when halted, and tell everyone",
  summary: 'set team_status halted and tell everyone',
  help: 'sets `team_status` and tells everyone (`team_halted` / `team_resumed`)',
  usage: '[--reason TEXT]',
  target: noTarget,
  instead: (team) => (team.info.status === 'halted' ? 'resume' : null),
  // It stops every teammate: only y applies it, never an Enter typed ahead.
  confirm: 'y-only',
  plan,
};
