// What the panes say about a teammate, derived from the same facts the alerts use: the task it
// works on is the one the task list gives it (a teammate's own `task_current` is stale once its task
// was reassigned), and its pending messages are the mailbox's unanswered messages to it.
import type { TeamSnapshot } from './snapshot.js';
import type { Teammate } from './types.js';

/**
 * The task a teammate works on: the one it reports, unless the task list gives that task to
 * someone else (then: none of its own); else the in-progress task it owns.
 */
export function currentTaskOf(team: TeamSnapshot, tm: Teammate): string | null {
  if (tm.taskCurrent) {
    const named = team.tasks.find((t) => t.id === tm.taskCurrent || t.name === tm.taskCurrent);
    if (!named || named.owner === null || named.owner === tm.id) return tm.taskCurrent;
  }
  const owned = team.tasks.find((t) => t.owner === tm.id && t.status === 'in_progress');
  return owned ? owned.name ?? owned.id : null;
}

/** Messages to the teammate that ask for an answer and have none yet (what message-unacked counts). */
export function unansweredTo(team: TeamSnapshot, tm: Teammate): number {
  return team.mailbox.aggregates.unacked.get(tm.id)?.length ?? 0;
}
