// dependency-cycle: unfinished tasks that wait on each other in a loop, so none can ever start
// (seed: optimizer → reviewer → benchmarker → optimizer; Task#1 ↔ Task#2 at team formation).
// One alert per strongly connected component (src/model/graph.ts), naming one cycle.
import { makeAlert, type Alert, type Detector } from '../types.js';
import { isUnfinished } from '../../model/types.js';
import { cycleComponents } from '../../model/graph.js';
import { shownId } from '../../safety/sanitize.js';

export const dependencyCycle: Detector = ({ team }) => {
  const out: Alert[] = [];
  // The same graph as a recent search (a rewrite that changed no dependency) is not searched again.
  const cycles = cycleComponents(team.tasks);
  if (cycles.length === 0) return out;
  // The owners of the tasks in cycles only (the first unfinished task of each id, as the graph).
  const inCycles = new Set(cycles.flatMap((c) => c.chain));
  const owners = new Map<string, string | null>();
  for (const t of team.tasks) if (inCycles.has(t.id) && isUnfinished(t) && !owners.has(t.id)) owners.set(t.id, t.owner);
  for (const c of cycles) {
    // Copies: the search's answer is shared with later runs.
    const chain = [...c.chain];
    const members = [...c.members];
    const edges = chain.map((id, i) => [id, chain[(i + 1) % chain.length]!]);
    const evidence: Record<string, unknown> = { chain, edges };
    if (members.length > chain.length) evidence.members = members;
    evidence.owners = Object.fromEntries(chain.map((id) => [id, owners.get(id) ?? null]));
    out.push(makeAlert({
      kind: 'dependency-cycle', severity: 'critical', subject: chain,
      summary: `dependency cycle: ${[...chain, chain[0]!].map(shownId).join(' → ')}`,
      // The loop is the problem; who owns its tasks can change without breaking it.
      evidence, material: { edges }, since: null,
      workflow: 'Break the cycle (b) — by default the task the others wait on is made independent and the rest '
        + 'reordered behind it — or complete one of its tasks as lead (c); then add a task-graph check so new cycles are refused at creation.',
      actions: ['break-cycle', 'complete'],
    }));
  }
  return out;
};
