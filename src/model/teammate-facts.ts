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
  const owned = team.tasks.filter((t) => t.owner === tm.id && t.status === 'in_progress');
  // Several at once (a task handed over on top of its own): the first and how many more.
  const more = (n: number): string => (n > 0 ? ` (+${n})` : '');
  if (tm.taskCurrent) {
    const named = team.tasks.find((t) => t.id === tm.taskCurrent || t.name === tm.taskCurrent);
    // Its own report stands unless the list gives that task to someone else or finished it.
    if (!named) return tm.taskCurrent + more(owned.length);
    if ((named.owner === null || named.owner === tm.id) && named.status !== 'completed' && named.status !== 'deleted') {
      return tm.taskCurrent + more(owned.filter((t) => t !== named).length);
    }
  }
  return owned.length ? (owned[0]!.name ?? owned[0]!.id) + more(owned.length - 1) : null;
}

/** Messages to the teammate that ask for an answer and have none yet (what message-unacked counts). */
export function unansweredTo(team: TeamSnapshot, tm: Teammate): number {
  return team.mailbox.aggregates.unacked.get(tm.id)?.length ?? 0;
}
