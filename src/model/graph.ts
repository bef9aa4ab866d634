// Dependency cycles among unfinished tasks: strongly connected components by an iterative
// Tarjan, linear in tasks + dependencies, so a graph of any depth cannot overflow the stack. The
// dependency-cycle detector reports them; the break-cycle action picks the edge to remove.
import { isUnfinished, type Task } from './types.js';
import { RecentLists } from './memo.js';

/** A cycle: `chain` in dependency order (each waits on the next, the last on the first). */
export interface CycleComponent {
  chain: string[];
  /** All ids of the strongly connected component, sorted. */
  members: string[];
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every dependency cycle among unfinished tasks, one per strongly connected component. */
export function findCycleComponents(tasks: readonly Task[]): CycleComponent[] {
  // Nodes: distinct unfinished ids, in first-seen order.
  const index = new Map<string, number>();
  const ids: string[] = [];
  const unfinished: Task[] = [];
  for (const t of tasks) {
    if (!isUnfinished(t)) continue;
    unfinished.push(t);
    if (!index.has(t.id)) {
      index.set(t.id, ids.length);
      ids.push(t.id);
    }
  }
  const n = ids.length;
  if (n === 0) return [];
  // Edges in one pass (one lookup per dependency), then grouped by source into compressed rows.
  const from: number[] = [];
  const to: number[] = [];
  for (const t of unfinished) {
    if (t.dependsOn.length === 0) continue;
    const f = index.get(t.id)!;
    for (const d of t.dependsOn) {
      const w = index.get(d);
      if (w !== undefined) { from.push(f); to.push(w); }
    }
  }
  const start = new Int32Array(n + 1);
  for (const f of from) start[f + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const flat = new Int32Array(to.length);
  const fill = start.slice(0, n);
  for (let e = 0; e < from.length; e++) flat[fill[from[e]!]!++] = to[e]!;
  // The edge lists are no longer needed: free them before the search.
  from.length = 0;
  to.length = 0;
  // The successors of v: flat[start[v]] .. flat[start[v + 1] - 1] (no view per node: most have none).
  const loops = (v: number): boolean => {
    for (let e = start[v]!; e < start[v + 1]!; e++) if (flat[e] === v) return true;
    return false;
  };

  // Iterative Tarjan.
  const order = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const sccStack: number[] = [];
  const callV: number[] = [];
  const callE: number[] = [];
  const sccs: number[][] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    callV.push(root);
    callE.push(0);
    order[root] = low[root] = counter++;
    sccStack.push(root);
    onStack[root] = 1;
    while (callV.length > 0) {
      const top = callV.length - 1;
      const v = callV[top]!;
      const e = callE[top]!;
      if (start[v]! + e < start[v + 1]!) {
        callE[top] = e + 1;
        const w = flat[start[v]! + e]!;
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          sccStack.push(w);
          onStack[w] = 1;
          callV.push(w);
          callE.push(0);
        } else if (onStack[w]) {
          if (order[w]! < low[v]!) low[v] = order[w]!;
        }
        continue;
      }
      // v is finished.
      callV.pop();
      callE.pop();
      if (callV.length > 0) {
        const parent = callV[callV.length - 1]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
      if (low[v] === order[v]) {
        // Most components are one task that is not in any cycle: no list for those.
        const id = sccs.length;
        if (sccStack[sccStack.length - 1] === v && !loops(v)) {
          sccStack.pop();
          onStack[v] = 0;
          comp[v] = -2;
          continue;
        }
        const members: number[] = [];
        let w: number;
        do {
          w = sccStack.pop()!;
          onStack[w] = 0;
          comp[w] = id;
          members.push(w);
        } while (w !== v);
        sccs.push(members);
      }
    }
  }

  const out: CycleComponent[] = [];
  const parent = new Int32Array(n).fill(-1);
  const seen = new Uint8Array(n);
  for (let c = 0; c < sccs.length; c++) {
    const members = sccs[c]!;
    // Only cyclic components need a deterministic order: by id, smallest first.
    members.sort((a, b) => cmp(ids[a]!, ids[b]!));
    const s = members[0]!;
    // BFS from s within the component until an edge leads back to s: a shortest cycle through s.
    const queue: number[] = [s];
    seen[s] = 1;
    let last = -1;
    for (let head = 0; head < queue.length && last === -1; head++) {
      const u = queue[head]!;
      const succ = [...flat.subarray(start[u]!, start[u + 1]!)].filter((w) => comp[w] === c).sort((a, b) => cmp(ids[a]!, ids[b]!));
      for (const w of succ) {
        if (comp[w] !== c) continue;
        if (w === s) { last = u; break; }
        if (!seen[w]) {
          seen[w] = 1;
          parent[w] = u;
          queue.push(w);
        }
      }
    }
    // In a strongly connected component some edge always returns to s.
    const chain: string[] = [];
    for (let v = last; v !== -1 && v !== s; v = parent[v]!) chain.push(ids[v]!);
    chain.push(ids[s]!);
    chain.reverse();
    out.push({ chain, members: members.map((m) => ids[m]!) });
  }
  return out.sort((a, b) => cmp(a.chain[0]!, b.chain[0]!));
}

/** Cycle chains among unfinished tasks, sorted by their first (smallest) id. */
export function findCycles(tasks: Task[]): string[][] {
  return findCycleComponents(tasks).map((c) => c.chain);
}

/** How a task list's graph relates to one searched before. */
const SAME = 0;
const SMALLER = 1;
const OTHER = 2;

/** Whether `ys` holds only items of `xs` (both short: dependency lists). */
function within(ys: readonly string[], xs: readonly string[]): boolean {
  for (const y of ys) if (!xs.includes(y)) return false;
  return true;
}

/**
 * How the graph of `b` relates to that of `a`, task by task in the same places (conservative:
 * OTHER when in doubt): SAME graph, or SMALLER (b's nodes and edges are a subset of a's).
 */
function compareGraphs(a: readonly Task[], b: readonly Task[]): number {
  if (a.length !== b.length) return OTHER;
  let result = SAME;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const openY = isUnfinished(y);
    if (isUnfinished(x) !== openY) {
      // A task that was unfinished and is not any more: its node (and edges) are gone.
      if (openY) return OTHER;
      result = SMALLER;
      continue;
    }
    if (!openY) continue;
    if (x.id !== y.id) return OTHER;
    const dx = x.dependsOn;
    const dy = y.dependsOn;
    if (dx.length === dy.length) {
      let same = true;
      for (let j = 0; j < dx.length; j++) if (dx[j] !== dy[j]) { same = false; break; }
      if (same) continue;
    }
    if (!within(dy, dx)) return OTHER;
    result = SMALLER;
  }
  return result;
}

/**
 * The graphs searched last (about one per team), so that the live detectors search again only what
 * a change can have changed. Rewriting a task file makes a new list of new objects, but:
 * - a progress note, an owner or a timestamp leaves the graph as it was: the last answer stands;
 * - a task finished or a dependency dropped only removes nodes and edges, and a cycle of the
 *   smaller graph is a cycle of the larger one, so it lies inside one of its cyclic components:
 *   only those tasks are searched again (a few, not 10,000).
 * Anything else (a task added or reopened, a dependency added) is searched from scratch.
 * Bounded: the least recently used goes.
 */
const recentGraphs = new RecentLists<Task, readonly CycleComponent[]>((prev, next, cycles) => {
  const rel = compareGraphs(prev, next);
  if (rel === OTHER) return undefined;
  if (rel === SAME || cycles.length === 0) return cycles;
  const members = new Set<string>();
  for (const c of cycles) for (const m of c.members) members.add(m);
  return findCycleComponents(next.filter((t) => members.has(t.id)));
});

/**
 * findCycleComponents, answered from a recent search of the same graph, or of a graph this one is
 * a part of, when there is one (the live detectors' path). The result is shared: callers must not
 * change it.
 */
export function cycleComponents(tasks: readonly Task[]): readonly CycleComponent[] {
  return recentGraphs.get(tasks, findCycleComponents);
}
