// rollback-interrupted: an abort or undo-abort was killed (or failed) half way. teamtop's journal
// of the operation says so: the work tree may be half rolled back. Critical until the lead either
// completes it (A) or restores the state from before it (U).
import { makeAlert, type Detector } from '../types.js';
import { shownId } from '../../safety/sanitize.js';

export const rollbackInterrupted: Detector = ({ team }) => {
  const j = team.rollback;
  if (!j || j.state !== 'in-progress') return [];
  const since = Date.parse(j.started_at);
  const steps = `${j.done} of ${j.steps.length} steps done`;
  return [makeAlert({
    kind: 'rollback-interrupted', severity: 'critical', subject: [j.op, j.started_at],
    summary: `the ${j.op} of ${shownId(team.id)} was interrupted (${steps}${j.error ? `: ${j.error}` : ''})`,
    evidence: {
      operation: j.op, started_at: j.started_at, last_update: j.updated_at, steps: j.steps, done: j.done,
      backup_ref: j.backup_ref, restore_ref: j.restore_ref, ...(j.error ? { error: j.error } : {}),
    },
    material: { operation: j.op, started_at: j.started_at, backup_ref: j.backup_ref, error: j.error ?? null },
    since: Number.isFinite(since) ? since : null,
    workflow: j.op === 'abort'
      ? `The work tree may be half rolled back. Run abort again (A) to complete it, or undo-abort (U) to restore the state from before it${j.backup_ref ? ` (saved in ${j.backup_ref})` : ''}.`
      : 'The work tree may be half restored. Run undo-abort again (U) to complete it.',
    actions: j.op === 'abort' ? ['abort', 'undo-abort'] : ['undo-abort'],
  })];
};
