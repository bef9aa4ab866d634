// What an action's key acts on, from the selection: a teammate row is the teammate, a task row
// the task, an alert row the teammate or task it is about.
import type { Teammate } from '../model/types.js';
import type { TeamSnapshot } from '../model/snapshot.js';
import { isUnfinished } from '../model/types.js';
import type { Alert } from '../alerts/types.js';
import type { Selection, Target } from './action.js';

// Sets, not nested scans: an alert's subject can list every overdue sequence (thousands).
export function teammateFromAlert(team: TeamSnapshot, a: Alert): string | null {
  const ids = new Set(team.teammates.map((t) => t.id));
  return a.subject.find((s) => ids.has(s)) ?? null;
}

export function taskFromAlert(team: TeamSnapshot, a: Alert): string | null {
  const ids = new Set(team.tasks.map((t) => t.id));
  return a.subject.find((s) => ids.has(s)) ?? null;
}

/** The task a teammate is working on: an in-progress task it owns, else its task_current. */
export function taskOfTeammate(team: TeamSnapshot, tm: Teammate): string | null {
  const owned = team.tasks.filter((t) => t.owner === tm.id && isUnfinished(t));
  const active = owned.find((t) => t.status === 'in_progress') ?? owned[0];
  if (active) return active.id;
  const byName = tm.taskCurrent ? team.tasks.find((t) => t.id === tm.taskCurrent || t.name === tm.taskCurrent) : undefined;
  return byName?.id ?? null;
}

/** wake, resend: a teammate, or the teammate an alert is about. */
export function teammateTarget(action: string, team: TeamSnapshot, sel: Selection): Target {
  if (sel?.teammate) return { target: sel.teammate.id };
  if (sel?.alert) {
    const id = teammateFromAlert(team, sel.alert);
    return id ? { target: id } : { error: `${action} needs a teammate; this alert is not about one` };
  }
  return { error: `${action}: select a teammate (pane 1) or its alert (pane 4)` };
}

/** reassign, complete: a task, the task an alert names, or (reassign) a teammate's task. */
export function taskTarget(action: string, team: TeamSnapshot, sel: Selection, byTeammate: boolean): Target {
  if (sel?.task) return { target: sel.task.id };
  if (sel?.teammate && byTeammate) {
    const id = taskOfTeammate(team, sel.teammate);
    return id ? { target: id } : { error: `${sel.teammate.id} has no unfinished task to reassign` };
  }
  if (sel?.alert) {
    const task = taskFromAlert(team, sel.alert);
    if (task) return { target: task };
    const tm = byTeammate ? teammateFromAlert(team, sel.alert) : null;
    const t = tm ? team.teammates.find((x) => x.id === tm) : undefined;
    const id = t ? taskOfTeammate(team, t) : null;
    return id ? { target: id } : { error: `${action}: this alert names no task${byTeammate ? ' or teammate with a task' : ''}` };
  }
  return { error: `${action}: select a task (pane 2)${byTeammate ? ', a teammate' : ''} or its alert` };
}
