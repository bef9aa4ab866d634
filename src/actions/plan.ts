// Planning: (team snapshot, arguments) -> Plan. Pure: no I/O, the clock is passed in. The
// action's module checks its arguments against the snapshot and either refuses with a reason or
// lists the effects that carry it out; the team's format may restate them in its own terms.
import type { TeamSnapshot } from '../model/snapshot.js';
import type { ActionArgs, ActionName, Effect, Plan, PlanBefore, PlanContext } from '../ports/effects.js';
import { Refusal, refuse, safe } from './action.js';
import { ACTIONS } from './registry.js';

export function planAction(team: TeamSnapshot, action: ActionName, args: ActionArgs, ctx: PlanContext): Plan {
  const base: Plan = { action, team: team.id, args: { ...args }, effects: [], touchesRepo: false, notes: [] };
  try {
    safe('team', team.id);
    const cap = team.capabilities.actions[action];
    if (typeof cap === 'string') refuse(cap);
    // The planner validates the arguments and says what to do in model terms; a format that
    // cannot express all of it adapts the effects to its own terms (or refuses, with the reason).
    let effects = ACTIONS[action].plan(team, args, ctx, base);
    if (team.format.adaptPlan) {
      try {
        effects = team.format.adaptPlan(action, team, args, ctx, base, effects);
      } catch (e) {
        refuse((e as Error).message);
      }
    }
    return { ...base, effects, touchesRepo: effects.some((e) => e.kind.startsWith('git-')), before: beforeImages(team, effects) };
  } catch (e) {
    if (e instanceof Refusal) return { ...base, refused: e.message };
    throw e;
  }
}


/**
 * What a lead decides on when confirming a plan: the refusal, and each effect without what it
 * measures (a wake's "silent for 20m", a checkpoint's context figures, a record's body), which
 * changes with every heartbeat while the plan is on screen and is not what was agreed to.
 */
export function decisionOf(plan: Plan): string {
  const shape = (e: Effect): unknown => {
    switch (e.kind) {
      // A message's content is decided (a resend's sequences and texts, a completion's notice),
      // except what reads out a measurement: MEASURED_KEYS, and the text of MEASURED_TEXT types.
      case 'append-message': return [e.kind, e.message.to, e.message.type, e.message.priority, decided(e.message.type, e.message.payload), e.message.fields ?? null];
      case 'write-checkpoint': return [e.kind, e.teammateId];
      case 'write-record': return [e.kind, e.file, e.commitInto ?? null];
      case 'git-commit-wip': return [e.kind, e.repo];
      case 'git-tag': return [e.kind, e.repo, e.name];
      case 'git-backup': return [e.kind, e.repo, e.ref, e.team, e.rollbackTo];
      case 'git-reset': return [e.kind, e.repo, e.target, e.backupRef];
      case 'git-restore': return [e.kind, e.repo, e.ref, e.backupRef];
      default: return e;
    }
  };
  return JSON.stringify([plan.refused ?? null, plan.carries ?? null, plan.effects.map(shape)]);
}

/** Payload fields that are measurements at planning time (a wake's silence, progress, deadline). */
const MEASURED_KEYS: ReadonlySet<string> = new Set(['silent_for_seconds', 'completion_percent', 'deadline', 'last_action']);
/** Message types whose text reads those measurements out (their other fields say what is decided). */
const MEASURED_TEXT: ReadonlySet<string> = new Set(['wake_up', 'reassignment']);

function decided(type: string, payload: unknown): unknown {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return payload ?? null;
  return Object.fromEntries(Object.entries(payload).filter(([k]) => !MEASURED_KEYS.has(k) && !(k === 'text' && MEASURED_TEXT.has(type))));
}

/** Whether two plans ask the lead for the same decision (see decisionOf). */
export function sameDecision(a: Plan, b: Plan): boolean {
  return decisionOf(a) === decisionOf(b);
}

/** The tasks, teammates and team status the effects change, as they are now (see Plan.before). */
function beforeImages(team: TeamSnapshot, effects: readonly Effect[]): PlanBefore {
  const taskIds = new Set<string>();
  const teammateIds = new Set<string>();
  let status = false;
  for (const e of effects) {
    if (e.kind === 'update-task') taskIds.add(e.taskId);
    else if (e.kind === 'set-teammate-status') teammateIds.add(e.teammateId);
    else if (e.kind === 'set-team-status') status = true;
  }
  const plain = (x: object): Record<string, unknown> => JSON.parse(JSON.stringify(x)) as Record<string, unknown>;
  return {
    tasks: team.tasks.filter((t) => taskIds.has(t.id)).map(plain),
    teammates: team.teammates.filter((t) => teammateIds.has(t.id)).map(plain),
    ...(status ? { teamStatus: team.info.status } : {}),
  };
}
