// What an action module declares (one module per action, listed in registry.ts), and the helpers
// planners share: refusing with a reason, looking up the teammate or task acted on, messages.
import type { Task, Teammate } from '../model/types.js';
import type { TeamSnapshot } from '../model/snapshot.js';
import type { ActionArgs, ActionName, Effect, Plan, PlanContext } from '../ports/effects.js';
import type { Alert } from '../alerts/types.js';
import { idProblem } from '../safety/ids.js';

/** What the lead has selected when pressing an action's key (the TUI's focused row). */
export type Selection =
  | { teammate: Teammate; task?: undefined; alert?: undefined }
  | { task: Task; teammate?: undefined; alert?: undefined }
  | { alert: Alert; teammate?: undefined; task?: undefined }
  | null;

/** The target an action's key resolves to, or why it cannot act on the selection. */
export type Target = { target?: string } | { error: string };

/** A question the TUI asks before planning: pick from a list, or type a line. */
export type Question =
  | { kind: 'pick'; field: 'to' | 'edge'; title: string; options: Array<{ label: string; value: string }>; index: number }
  /** `required`: an empty answer is not taken (the prompt stays open). */
  | { kind: 'prompt'; field: 'reason'; title: string; draft: string; required?: boolean };

export type Planner = (team: TeamSnapshot, args: ActionArgs, ctx: PlanContext, plan: Plan) => Effect[];

export interface ActionDef {
  name: ActionName;
  /** The key that starts it in the TUI (absent: reached through another action's key). */
  key?: string;
  /** How the README's action table names what its key does (default: the name). */
  label?: string;
  /** What it does, for the README's action table. */
  help: string;
  /** A short line for `act --help`. */
  summary: string;
  /** What its key does, for the TUI's help. */
  keyHelp?: string;
  /** Its arguments on the command line, e.g. "TEAMMATE" or "TASK --to ID". */
  usage: string;
  /** What the key acts on, from the selection. */
  target(team: TeamSnapshot, sel: Selection): Target;
  /** The next question before planning, or null when the arguments are complete; `say` when it cannot start. */
  ask?(team: TeamSnapshot, args: ActionArgs, now?: number): Question | { say: string } | null;
  /** The key means another action in some states (h on a halted team resumes it). */
  instead?(team: TeamSnapshot): ActionName | null;
  /** How the lead confirms the plan: y or Enter (default), y only (it stops the team), or typing the team id. */
  confirm?: 'y' | 'y-only' | 'team-id';
  plan: Planner;
}

/** A refusal: the plan says why and writes nothing. */
export class Refusal extends Error {}

export const refuse = (why: string): never => { throw new Refusal(why); };

/** An id that will become a file name, message recipient or ref, checked. */
export function safe(kind: string, id: string): string {
  const p = idProblem(id);
  if (p) refuse(`${kind} id ${JSON.stringify(id)} ${p}: teamtop will not use it in a file name, a message or a git ref`);
  return id;
}

export function teammateOf(team: TeamSnapshot, id: string | undefined, what = 'teammate'): Teammate {
  if (!id) refuse(`name the ${what}`);
  const t = team.teammates.find((x) => x.id === id);
  if (!t) refuse(`no teammate ${JSON.stringify(id)} in team ${team.id}`);
  safe('teammate', t!.id);
  return t!;
}

export function taskOf(team: TeamSnapshot, id: string | undefined): Task {
  if (!id) refuse('name the task');
  const t = team.tasks.find((x) => x.id === id);
  if (!t) refuse(`no task ${JSON.stringify(id)} in team ${team.id}`);
  safe('task', t!.id);
  return t!;
}

export const msg = (to: string | string[], type: string, priority: string, payload: unknown, fields?: Record<string, unknown>): Effect =>
  ({ kind: 'append-message', message: { to, type, priority, payload, ...(fields ? { fields } : {}) } });

/** "HH:MM" in UTC. */
export const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/** The target of an action with none (halt, abort…). */
export const noTarget = (): Target => ({ target: undefined });
