// ambiguous-done: a task with no definition of done (in progress without a deliverables checklist),
// or one marked completed with deliverables still unchecked (seed: the task that never completes).
import { makeAlert, type Alert, type Detector } from '../types.js';

export const ambiguousDone: Detector = ({ team }) => {
  if (!team.capabilities.deliverables) return [];
  const out: Alert[] = [];
  for (const t of team.tasks) {
    if (t.status === 'in_progress' && (t.deliverables === null || t.deliverables.length === 0)) {
      out.push(makeAlert({
        kind: 'ambiguous-done', severity: 'low', subject: [t.id],
        summary: `${t.id} is in progress with no definition of done`,
        evidence: { task_id: t.id, owner: t.owner, deliverables: 0 },
        since: null,
        workflow: 'Agree an explicit deliverables checklist with the owner, and complete the task against it.',
      }));
    } else if (t.status === 'completed' && t.deliverables && typeof t.extra.completion_reason !== 'string') {
      // (A lead override completes a task with its reason on record: that is not ambiguous.)
      const unchecked = t.deliverables.filter((d) => !d.done).map((d) => d.text);
      if (unchecked.length === 0) continue;
      out.push(makeAlert({
        kind: 'ambiguous-done', severity: 'medium', subject: [t.id],
        summary: `${t.id} is completed with ${unchecked.length} of ${t.deliverables.length} deliverables unchecked`,
        evidence: { task_id: t.id, unchecked },
        since: null,
        workflow: 'Completed against an unfinished checklist: verify the unchecked deliverables, or reopen the task with them as its definition of done.',
      }));
    }
  }
  return out;
};
