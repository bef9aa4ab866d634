// The current-state files (tasks, teammates, the team's status) as they were before teamtop's own
// actions changed them: each action record keeps the before-images of what it changed
// (Plan.before), so a replay at a time before an action sees the state the action found.
import type { TeamSnapshot } from '../model/snapshot.js';
import type { ActionRecord } from './actions-log.js';

export interface StateImages {
  tasks: TeamSnapshot['tasks'];
  teammates: TeamSnapshot['teammates'];
  status: TeamSnapshot['info']['status'];
}

export class StateAsOf {
  /** Successful actions that changed current-state files, in time order. */
  private readonly changes: ActionRecord[];
  private cached: { from: number; images: StateImages } | null = null;

  constructor(private readonly team: TeamSnapshot, actions: readonly ActionRecord[]) {
    this.changes = actions.filter((a) => a.before && (a.result === null || a.result === 'ok')).sort((a, b) => a.time - b.time || a.line - b.line);
  }

  /**
   * Tasks, teammates and status as they were at t (`all`: as they are now): for each one an action
   * after t changed, its image from before the first such action. Cached while the same actions
   * lie ahead (a replay asks at ascending times).
   */
  at(t: number, all: boolean): StateImages {
    const next = all ? -1 : this.changes.findIndex((a) => a.time > t);
    const from = next === -1 ? this.changes.length : next;
    if (this.cached && this.cached.from === from) return this.cached.images;
    const tasks = new Map<string, Record<string, unknown>>();
    const teammates = new Map<string, Record<string, unknown>>();
    let status: string | null | undefined;
    for (let i = from; i < this.changes.length; i++) {
      const b = this.changes[i]!.before!;
      for (const x of b.tasks) if (!tasks.has(x.id as string)) tasks.set(x.id as string, x);
      for (const x of b.teammates) if (!teammates.has(x.id as string)) teammates.set(x.id as string, x);
      if (status === undefined && b.teamStatus !== undefined) status = b.teamStatus;
    }
    const team = this.team;
    const images: StateImages = {
      tasks: tasks.size ? team.tasks.map((x) => (tasks.has(x.id) ? likeOf(x, tasks.get(x.id)!) : x)) : team.tasks,
      teammates: teammates.size ? team.teammates.map((x) => (teammates.has(x.id) ? likeOf(x, teammates.get(x.id)!) : x)) : team.teammates,
      status: status === undefined ? team.info.status : (status as StateImages['status']),
    };
    this.cached = { from, images };
    return images;
  }
}

/**
 * `now` with the fields `before` recorded for it. An action log is a file anyone can edit: only a
 * field whose value has the type the current one has (or is null) is taken, arrays only of strings.
 */
export function likeOf<T extends object>(now: T, before: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(now as Record<string, unknown>) };
  for (const [k, cur] of Object.entries(now)) {
    if (!(k in before)) continue;
    const v = before[k];
    const fits = v === null || cur === null
      ? v === null || ['string', 'number', 'boolean'].includes(typeof v)
      : Array.isArray(cur) ? Array.isArray(v) && v.every((x) => typeof x === 'string') : typeof v === typeof cur && typeof v !== 'object';
    if (fits) out[k] = v;
  }
  return out as T;
}
