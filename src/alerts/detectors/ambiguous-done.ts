// ambiguous-done: a task with no definition of done (in progress without a deliverables checklist),
// or one marked completed with deliverables still unchecked (seed: the task that never completes).
import { makeAlert, type Alert, type Detector } from '../types.js';
import type { Deliverable, Task } from '../../model/types.js';
import { PerItem } from '../../model/memo.js';
import { shownId } from '../../safety/sanitize.js';

/** The alert made for each task, with the task it was made from (a rewrite re-makes few). */
const made = new PerItem<{ task: Task; alert: Alert | null }>();

function sameDeliverables(a: readonly Deliverable[] | null, b: readonly Deliverable[] | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.text !== b[i]!.text || a[i]!.done !== b[i]!.done) return false;
  return true;
}

/** Whether the alert made for `a` is the one `b` would get (what the alert reads of a task). */
const sameFacts = (a: Task, b: Task): boolean => a === b || (a.id === b.id && a.status === b.status && a.owner === b.owner
  && sameDeliverables(a.deliverables, b.deliverables) && (typeof a.extra.completion_reason === 'string') === (typeof b.extra.completion_reason === 'string'));

function alertFor(t: Task): Alert | null {
  if (t.status === 'in_progress' && (t.deliverables === null || t.deliverables.length === 0)) {
    return makeAlert({
      kind: 'ambiguous-done', severity: 'low', subject: [t.id],
      summary: `${shownId(t.id)} is in progress with no definition of done`,
      evidence: { task_id: t.id, owner: t.owner, deliverables: 0 },
      since: null,
      workflow: 'Agree an explicit deliverables checklist with the owner, and complete the task against it.',
    });
  }
  if (t.status === 'completed' && t.deliverables && typeof t.extra.completion_reason !== 'string') {
    // (A lead override completes a task with its reason on record: that is not ambiguous.)
    const unchecked = t.deliverables.filter((d) => !d.done).map((d) => d.text);
    if (unchecked.length === 0) return null;
    return makeAlert({
      kind: 'ambiguous-done', severity: 'medium', subject: [t.id],
      summary: `${shownId(t.id)} is completed with ${unchecked.length} of ${t.deliverables.length} deliverables unchecked`,
      evidence: { task_id: t.id, unchecked },
      since: null,
      workflow: 'Completed against an unfinished checklist: verify the unchecked deliverables, or reopen the task with them as its definition of done.',
    });
  }
  return null;
}

export const ambiguousDone: Detector = ({ team }) => {
  if (!team.capabilities.deliverables) return [];
  const out: Alert[] = [];
  const memo = made.run(team.id);
  for (const t of team.tasks) {
    // Only in-progress and completed tasks can be ambiguous.
    if (t.status !== 'in_progress' && t.status !== 'completed') continue;
    const prev = memo.get(t.id);
    const entry = prev && sameFacts(prev.task, t) ? prev : { task: t, alert: alertFor(t) };
    memo.keep(t.id, entry);
    if (entry.alert) out.push(entry.alert);
  }
  memo.done();
  return out;
};
