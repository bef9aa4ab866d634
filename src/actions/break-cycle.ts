// break-cycle: remove one dependency of a cycle — by default the one that makes the task the
// others wait on independent — renumber the chain behind it and tell its owners (seed Workflow D).
import type { TeamSnapshot } from '../model/snapshot.js';
import { isUnfinished } from '../model/types.js';
import { findCycleComponents } from '../model/graph.js';
import type { Effect } from '../ports/effects.js';
import { idProblem } from '../safety/ids.js';
import { msg, refuse, safe, type ActionDef, type Planner } from './action.js';
import { shownId } from '../safety/sanitize.js';

export interface CycleChoice {
  chain: string[];
  /** [from, to]: from stops waiting on to. */
  edges: Array<[string, string]>;
  /** Index into edges of the seed's advice: make the task the others wait on independent. */
  suggested: number;
}

/** The cycle through `taskId` (or the first cycle), its edges, and the suggested edge to remove. */
export function cycleChoice(team: TeamSnapshot, taskId?: string): CycleChoice | null {
  const comps = findCycleComponents(team.tasks);
  const comp = taskId ? comps.find((c) => c.members.includes(taskId)) : comps[0];
  if (!comp) return null;
  const chain = comp.chain;
  const edges = chain.map((id, i) => [id, chain[(i + 1) % chain.length]!] as [string, string]);
  // The task the others wait on most: most unfinished dependents, then the earliest sequence,
  // then the earliest created, then chain order.
  const byId = new Map(team.tasks.map((t) => [t.id, t]));
  const waiting = new Map<string, number>();
  for (const t of team.tasks) if (isUnfinished(t)) for (const d of new Set(t.dependsOn)) waiting.set(d, (waiting.get(d) ?? 0) + 1);
  const dependents = (id: string): number => waiting.get(id) ?? 0;
  let best = 0;
  const key = (i: number): [number, number, number, number] => {
    const t = byId.get(chain[i]!)!;
    return [-dependents(t.id), t.sequence ?? Infinity, t.createdAt ?? Infinity, i];
  };
  for (let i = 1; i < chain.length; i++) {
    const a = key(i);
    const b = key(best);
    for (let k = 0; k < 4; k++) {
      if (a[k]! < b[k]!) { best = i; break; }
      if (a[k]! > b[k]!) break;
    }
  }
  return { chain, edges, suggested: best };
}

const plan: Planner = (team, args, ctx, plan) => {
  let from: string | undefined;
  let to: string | undefined;
  if (args.edge) {
    const m = /^([^:]+):([^:]+)$/.exec(args.edge);
    if (!m) refuse(`--edge takes FROM:TO (FROM stops waiting on TO), not ${JSON.stringify(args.edge)}`);
    [from, to] = [m![1]!, m![2]!];
  }
  const choice = cycleChoice(team, from ?? args.target);
  if (!choice) refuse(from ?? args.target ? `no dependency cycle through ${from ?? args.target}` : 'there is no dependency cycle');
  const c = choice!;
  let edgeIndex = c.suggested;
  if (from) {
    edgeIndex = c.edges.findIndex(([f, t]) => f === from && t === to);
    if (edgeIndex < 0) refuse(`${from} → ${to} is not an edge of the cycle ${[...c.chain, c.chain[0]].join(' → ')}; edges: ${c.edges.map(([f, t]) => `${f}:${t}`).join(', ')}`);
  }
  const [free, dep] = c.edges[edgeIndex]!;
  for (const id of c.chain) safe('task', id);
  plan.args.edge = `${free}:${dep}`;
  plan.notes.push(`cycle: ${[...c.chain, c.chain[0]!].map(shownId).join(' → ')}`, `${shownId(free)} stops waiting on ${shownId(dep)}${edgeIndex === c.suggested ? ' (suggested: the task the others wait on becomes independent)' : ''}`);
  // After the removal the cycle is a chain: `free` first, then whoever waited on it, and so on.
  const n = c.chain.length;
  const start = c.chain.indexOf(free);
  const order = Array.from({ length: n }, (_, k) => c.chain[(start - k + n) % n]!);
  const byId = new Map(team.tasks.map((t) => [t.id, t]));
  const seqs = order.map((id) => byId.get(id)!.sequence).filter((s): s is number => s !== null);
  const first = seqs.length ? seqs.reduce((a, b) => (b < a ? b : a)) : 1;
  const effects: Effect[] = [];
  const freeTask = byId.get(free)!;
  const otherDeps = freeTask.dependsOn.filter((d) => d !== dep && (byId.get(d) ? isUnfinished(byId.get(d)!) : true));
  effects.push({
    kind: 'update-task', taskId: free, removeDependency: dep,
    set: { sequence: first, ...(freeTask.status === 'blocked' && otherDeps.length === 0 ? { status: 'pending' } : {}) },
  });
  order.slice(1).forEach((id, k) => effects.push({ kind: 'update-task', taskId: id, set: { sequence: first + k + 1 } }));
  const owners = [...new Set(order.map((id) => byId.get(id)!.owner).filter((o): o is string => !!o && idProblem(o) === null))];
  const taskOrder = order.map((id, k) => ({ sequence: first + k, task: id, assigned_to: byId.get(id)!.owner }));
  if (owners.length) {
    effects.push(msg(owners, 'team_reordered', 'high', {
      text: `Dependency cycle broken: ${free} no longer waits on ${dep}. New order: ${order.join(' → ')}. ${byId.get(free)!.owner ?? free}: start ${free} now; the others wait for the task before theirs.`,
      task_order: taskOrder,
      removed_dependency: { task: free, no_longer_waits_on: dep },
    }));
  }
  void ctx;
  return effects;
};

export const BREAK_CYCLE: ActionDef = {
  name: 'break-cycle',
  key: 'b',
  keyHelp: "break the dependency cycle of the selected alert or task: pick the edge to remove",
  summary: 'remove one dependency of a cycle (default: the task the others wait on becomes independent), renumber, tell the owners',
  help: 'on a dependency-cycle alert (or a task in the cycle): pick the dependency to remove — the default makes the task the others wait on independent — then the chain is renumbered (`sequence`) and its owners get `team_reordered`',
  usage: '[TASK] [--edge FROM:TO]',
  target: (_team, sel) => {
    if (sel?.alert?.kind === 'dependency-cycle') return { target: sel.alert.subject[0] };
    if (sel?.task) return { target: sel.task.id };
    return { target: undefined };
  },
  ask: (team, args) => {
    if (args.edge !== undefined) return null;
    const c = cycleChoice(team, args.target);
    if (!c) return { say: args.target ? `no dependency cycle through ${args.target}` : 'there is no dependency cycle' };
    return {
      kind: 'pick', field: 'edge', index: c.suggested,
      title: `Break ${[...c.chain, c.chain[0]!].map(shownId).join(' → ')}: remove which dependency?`,
      options: c.edges.map(([f, to], i) => ({ label: `${shownId(f)} stops waiting on ${shownId(to)}${i === c.suggested ? '   (suggested: the task the others wait on goes first)' : ''}`, value: `${f}:${to}` })),
    };
  },
  plan,
};
