// invalid-state: a file or line that failed to parse or validate, or an id that cannot be used
// safely, so bad input is visible rather than silently dropped.
import { makeAlert, type Alert, type Detector } from '../types.js';
import { idProblem } from '../../safety/ids.js';

export const invalidState: Detector = ({ team }) => {
  const out: Alert[] = [];
  for (const e of team.errors) {
    const where = e.line !== null ? `${e.file}:${e.line}` : e.file;
    out.push(makeAlert({
      kind: 'invalid-state', severity: 'medium', subject: [where],
      summary: `${where}: ${e.message}`,
      evidence: { file: e.file, line: e.line, problem: e.message, ...(e.count ? { count: e.count } : {}) },
      since: e.at,
      workflow: 'Fix or remove the bad data; teamtop keeps showing the last good contents of the file meanwhile.',
    }));
  }
  const idCheck = (kind: string, id: string): void => {
    const p = idProblem(id);
    if (p) {
      out.push(makeAlert({
        kind: 'invalid-state', severity: 'medium', subject: [`${kind}:${id}`],
        summary: `${kind} id ${JSON.stringify(id)} ${p}; actions on it are refused`,
        evidence: { [`${kind}_id`]: id, problem: p }, since: null,
        workflow: 'Rename the id in the state files; teamtop will not build file names or git refs from it.',
      }));
    }
  };
  idCheck('team', team.id);
  /** Ids that must be unique; reports each one seen more than once. Returns the set of ids. */
  const unique = (kind: 'teammate' | 'task', ids: readonly string[]): Set<string> => {
    const seen = new Set<string>();
    for (const id of ids) {
      idCheck(kind, id);
      if (seen.has(id)) {
        out.push(makeAlert({
          kind: 'invalid-state', severity: 'medium', subject: [`${kind}:${id}`, 'duplicate'],
          summary: `${kind} id ${JSON.stringify(id)} appears more than once`,
          evidence: { [`${kind}_id`]: id }, since: null, workflow: `Give each ${kind} a distinct id.`,
        }));
      }
      seen.add(id);
    }
    return seen;
  };
  unique('teammate', team.teammates.map((t) => t.id));
  const taskIds = unique('task', team.tasks.map((t) => t.id));
  for (const task of team.tasks) {
    const missing = task.dependsOn.filter((d) => !taskIds.has(d));
    if (missing.length) {
      out.push(makeAlert({
        kind: 'invalid-state', severity: 'medium', subject: [`task:${task.id}`, 'missing-dependency'],
        summary: `task ${task.id} depends on unknown task${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
        evidence: { task_id: task.id, missing }, since: null,
        workflow: 'Fix the dependency list in the manifest: the task can never start while it waits on a task that does not exist.',
      }));
    }
  }
  return out;
};
