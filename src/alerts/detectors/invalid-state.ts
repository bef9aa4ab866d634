// invalid-state: a file or line that failed to parse or validate, an id that cannot be used
// safely, or a sequence number used twice in the mailbox, so bad input is visible rather than
// silently dropped.
import { makeAlert, type Alert, type Detector } from '../types.js';
import { idProblem } from '../../safety/ids.js';
import { shownId } from '../../safety/sanitize.js';
import { duplicateSequences } from '../../model/mailbox-aggregator.js';
import type { Task, Teammate } from '../../model/types.js';
import { RecentLists, whenSame } from '../../model/memo.js';

export const invalidState: Detector = ({ team }) => {
  const out: Alert[] = [];
  for (const e of team.errors) {
    const where = e.line !== null ? `${e.file}:${e.line}` : e.file;
    out.push(makeAlert({
      kind: 'invalid-state', severity: 'medium', subject: [where],
      summary: `${where}: ${e.message}`,
      evidence: { file: e.file, line: e.line, problem: e.message, ...(e.count ? { count: e.count } : {}) },
      material: { file: e.file, line: e.line, problem: e.message },
      since: e.at,
      workflow: 'Fix or remove the bad data; teamtop keeps showing the last good contents of the file meanwhile.',
    }));
  }
  const idCheck = (kind: string, id: string): void => {
    const p = idProblem(id);
    if (p) {
      out.push(makeAlert({
        kind: 'invalid-state', severity: 'medium', subject: [`${kind}:${id}`],
        summary: `${kind} id "${shownId(id)}" ${p}; actions on it are refused`,
        evidence: { [`${kind}_id`]: id, problem: p }, since: null,
        workflow: 'Rename the id in the state files; teamtop will not build file names or git refs from it.',
      }));
    }
  };
  // Sequences are unique across the whole mailbox (docs/state-format.md); a repeated one makes
  // acknowledgements, gaps and resends ambiguous.
  const agg = team.mailbox.aggregates;
  if (team.capabilities.sequences && agg.duplicates > 0) {
    const { sequences: named, truncated } = duplicateSequences(agg);
    const n = agg.duplicates;
    const lines = `${n} duplicate line${n === 1 ? '' : 's'}`;
    const summary = named.length === 0
      ? `mailbox.jsonl: sequence numbers are used more than once (${lines})`
      : named.length === 1 && !truncated
        ? `mailbox.jsonl: sequence ${named[0]} is used more than once (${lines})`
        : `mailbox.jsonl: sequences ${named.join(', ')}${truncated ? ' and others' : ''} are used more than once (${lines})`;
    out.push(makeAlert({
      kind: 'invalid-state', severity: 'medium', subject: ['mailbox.jsonl', 'duplicate-sequences'],
      summary,
      evidence: {
        file: 'mailbox.jsonl', problem: 'duplicate sequence numbers',
        // `duplicates`: every repeated line (the total); `sequences`: the first distinct duplicated
        // sequences seen, ascending, at most MAX_DUPLICATES_LISTED; `more_sequences`: the list is cut.
        duplicates: n, sequences: [...named], more_sequences: truncated,
      },
      since: null,
      workflow: 'Two writers allocated the same sequence: give every message a unique, increasing sequence (allocate under the mailbox lock), and check which of the duplicates each acknowledgement meant.',
    }));
  }
  idCheck('team', team.id);
  // The id checks walk every teammate and task: done once per teammates/tasks list (the sources
  // keep a list's object while its file is unchanged), not on every mailbox append.
  for (const a of teammateIdAlerts(team.teammates)) out.push(a);
  for (const a of taskIdAlerts(team.tasks)) out.push(a);
  return out;
};

const teammateMemo = new WeakMap<readonly Teammate[], Alert[]>();
/**
 * The task lists checked last (about one per team) and their alerts: the checks read only ids and
 * dependencies, so a rewrite that changed neither (a status, an owner, a note) is not checked again.
 */
const checkedTaskLists = new RecentLists<Task, Alert[]>(whenSame(sameIdsAndDependencies));

/** Whether two task lists have the same ids and dependencies, in the same places. */
function sameIdsAndDependencies(a: readonly Task[], b: readonly Task[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (x.id !== y.id || x.dependsOn.length !== y.dependsOn.length) return false;
    for (let j = 0; j < x.dependsOn.length; j++) if (x.dependsOn[j] !== y.dependsOn[j]) return false;
  }
  return true;
}

function idAlert(kind: 'teammate' | 'task', id: string): Alert | null {
  const p = idProblem(id);
  if (!p) return null;
  return makeAlert({
    kind: 'invalid-state', severity: 'medium', subject: [`${kind}:${id}`],
    summary: `${kind} id "${shownId(id)}" ${p}; actions on it are refused`,
    evidence: { [`${kind}_id`]: id, problem: p }, since: null,
    workflow: 'Rename the id in the state files; teamtop will not build file names or git refs from it.',
  });
}

/** Ids that must be unique: an alert for each unsafe one and each seen more than once. Returns the set of ids. */
function uniqueIds(kind: 'teammate' | 'task', ids: readonly string[], out: Alert[]): Set<string> {
  const seen = new Set<string>();
  for (const id of ids) {
    const bad = idAlert(kind, id);
    if (bad) out.push(bad);
    if (seen.has(id)) {
      out.push(makeAlert({
        kind: 'invalid-state', severity: 'medium', subject: [`${kind}:${id}`, 'duplicate'],
        summary: `${kind} id "${shownId(id)}" appears more than once`,
        evidence: { [`${kind}_id`]: id }, since: null, workflow: `Give each ${kind} a distinct id.`,
      }));
    }
    seen.add(id);
  }
  return seen;
}

function teammateIdAlerts(teammates: readonly Teammate[]): Alert[] {
  let out = teammateMemo.get(teammates);
  if (!out) {
    out = [];
    uniqueIds('teammate', teammates.map((t) => t.id), out);
    teammateMemo.set(teammates, out);
  }
  return out;
}

function taskIdAlerts(tasks: readonly Task[]): Alert[] {
  return checkedTaskLists.get(tasks, checkTaskIds);
}

function checkTaskIds(tasks: readonly Task[]): Alert[] {
  const out: Alert[] = [];
  const taskIds = uniqueIds('task', tasks.map((t) => t.id), out);
  for (const task of tasks) {
    // No list per task unless something is missing (this walks every dependency).
    let missing: string[] | null = null;
    for (const d of task.dependsOn) if (!taskIds.has(d)) (missing ??= []).push(d);
    if (missing) {
      out.push(makeAlert({
        kind: 'invalid-state', severity: 'medium', subject: [`task:${task.id}`, 'missing-dependency'],
        summary: `task ${shownId(task.id)} depends on unknown task${missing.length > 1 ? 's' : ''} ${missing.map(shownId).join(', ')}`,
        evidence: { task_id: task.id, missing }, since: null,
        workflow: 'Fix the dependency list in the manifest: the task can never start while it waits on a task that does not exist.',
      }));
    }
  }
  return out;
}
