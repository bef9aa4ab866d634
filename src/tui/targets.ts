// What an action key acts on, from the focused pane and its selected row: a teammate row is the
// teammate, a task row the task, an alert row the teammate or task it is about.
import type { Task, TeamSnapshot, Teammate } from '../model/types.js';
import { isUnfinished } from '../model/types.js';
import type { ActionName, Alert } from '../alerts/types.js';
import type { PaneId } from './view-state.js';

export type Selected =
  | { pane: 'teammates'; item: Teammate }
  | { pane: 'tasks'; item: Task }
  | { pane: 'alerts'; item: Alert }
  | { pane: 'mailbox' | PaneId; item: unknown };

export type Target = { target?: string } | { error: string };

// Sets, not nested scans: an alert's subject can list every overdue sequence (thousands).
function teammateFromAlert(team: TeamSnapshot, a: Alert): string | null {
  const ids = new Set(team.teammates.map((t) => t.id));
  return a.subject.find((s) => ids.has(s)) ?? null;
}

function taskFromAlert(team: TeamSnapshot, a: Alert): string | null {
  const ids = new Set(team.tasks.map((t) => t.id));
  return a.subject.find((s) => ids.has(s)) ?? null;
}

/** The task a teammate is working on: an in-progress task it owns, else its task_current. */
function taskOfTeammate(team: TeamSnapshot, tm: Teammate): string | null {
  const owned = team.tasks.filter((t) => t.owner === tm.id && isUnfinished(t));
  const active = owned.find((t) => t.status === 'in_progress') ?? owned[0];
  if (active) return active.id;
  const byName = tm.taskCurrent ? team.tasks.find((t) => t.id === tm.taskCurrent || t.name === tm.taskCurrent) : undefined;
  return byName?.id ?? null;
}

export function targetOf(action: ActionName, team: TeamSnapshot, sel: Selected | null): Target {
  const where = sel ? ` the ${sel.pane === 'alerts' ? 'alert' : sel.pane === 'teammates' ? 'teammate' : 'task'}` : '';
  switch (action) {
    case 'wake':
    case 'resend': {
      if (sel?.pane === 'teammates') return { target: (sel.item as Teammate).id };
      if (sel?.pane === 'alerts') {
        const id = teammateFromAlert(team, sel.item as Alert);
        return id ? { target: id } : { error: `${action} needs a teammate; this alert is not about one` };
      }
      return { error: `${action}: select a teammate (pane 1) or its alert (pane 4)` };
    }
    case 'reassign':
    case 'complete': {
      if (sel?.pane === 'tasks') return { target: (sel.item as Task).id };
      if (sel?.pane === 'teammates' && action === 'reassign') {
        const id = taskOfTeammate(team, sel.item as Teammate);
        return id ? { target: id } : { error: `${(sel.item as Teammate).id} has no unfinished task to reassign` };
      }
      if (sel?.pane === 'alerts') {
        const a = sel.item as Alert;
        const task = taskFromAlert(team, a);
        if (task) return { target: task };
        const tm = action === 'reassign' ? teammateFromAlert(team, a) : null;
        const t = tm ? team.teammates.find((x) => x.id === tm) : undefined;
        const id = t ? taskOfTeammate(team, t) : null;
        return id ? { target: id } : { error: `${action}: this alert names no task${action === 'reassign' ? ' or teammate with a task' : ''}` };
      }
      return { error: `${action}: select a task (pane 2)${action === 'reassign' ? ', a teammate' : ''} or its alert${where ? '' : ''}` };
    }
    case 'break-cycle': {
      if (sel?.pane === 'alerts' && (sel.item as Alert).kind === 'dependency-cycle') return { target: (sel.item as Alert).subject[0] };
      if (sel?.pane === 'tasks') return { target: (sel.item as Task).id };
      return { target: undefined };
    }
    default:
      return { target: undefined };
  }
}
