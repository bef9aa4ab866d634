// The detectors that remember what they made (per task, per task list, per graph) must say exactly
// what a first run would. Random rewrites of a task list, as a re-read makes them (every task a new
// object), with the clock moving: after each, the warm detector is compared with a fresh copy of
// its module, which has nothing remembered.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { cycleComponents, findCycleComponents } from '../../src/model/graph.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../src/model/thresholds.js';
import type { Detector } from '../../src/alerts/types.js';
import type { Task, TaskStatus } from '../../src/model/types.js';
import { team, task } from '../helpers/model.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
const HOUR = 3_600_000;
const STATUSES: TaskStatus[] = ['pending', 'in_progress', 'blocked', 'on_hold', 'completed', 'deleted'];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A small pool of ids: duplicates, cycles and renames to an id in use are common. */
const POOL = 10;
const anyId = (r: () => number): string => `T${Math.floor(r() * POOL)}`;

function initial(r: () => number, n: number): Task[] {
  return Array.from({ length: n }, (_, i) => task({
    id: i < POOL ? `T${i}` : anyId(r), owner: r() < 0.8 ? `tm${i % 4}` : null, status: STATUSES[Math.floor(r() * 5)]!,
    dependsOn: Array.from({ length: Math.floor(r() * 3) }, () => anyId(r)),
    updatedAt: NOW - Math.floor(r() * 5 * HOUR), startedAt: r() < 0.5 ? NOW - 6 * HOUR : null,
    deliverables: r() < 0.6 ? [{ text: 'a', done: r() < 0.5 }, { text: 'b', done: r() < 0.5 }] : null,
  }));
}

/** Mostly an in-progress task with a time (one task-stuck may report), else `t`. */
function busy(r: () => number, tasks: Task[], t: Task): Task {
  const candidates = tasks.filter((x) => x.status === 'in_progress' && x.updatedAt !== null);
  return candidates.length > 0 && r() < 0.7 ? candidates[Math.floor(r() * candidates.length)]! : t;
}

/** One rewrite: every task a new object, one to three of them changed in one way. */
function rewrite(r: () => number, tasks: Task[], now: number): Task[] {
  const next = tasks.map((t) => ({ ...t, dependsOn: [...t.dependsOn], extra: { ...t.extra }, deliverables: t.deliverables && t.deliverables.map((d) => ({ ...d })) }));
  const changes = 1 + Math.floor(r() * 3);
  for (let c = 0; c < changes && next.length > 0; c++) {
    const i = Math.floor(r() * next.length);
    const t = next[i]!;
    switch (Math.floor(r() * 16)) {
      case 0: t.status = STATUSES[Math.floor(r() * STATUSES.length)]!; break;
      case 1: t.status = 'completed'; t.completedAt = now; break;
      case 2: t.owner = r() < 0.3 ? null : `tm${Math.floor(r() * 6)}`; break;
      // A second later usually shows the same age: only the facts tell the two apart.
      case 3: {
        const u = busy(r, next, t);
        u.updatedAt = r() < 0.3 || u.updatedAt === null ? now - Math.floor(r() * 4 * HOUR) : u.updatedAt + 1000;
        break;
      }
      case 4: t.dependsOn.push(r() < 0.2 ? 'ghost' : anyId(r)); break;
      case 5: t.dependsOn.splice(Math.floor(r() * t.dependsOn.length), 1); break;
      // Renamed to an id in use, or to a new one.
      case 6: t.id = r() < 0.7 ? anyId(r) : `N${Math.floor(r() * 1000)}`; break;
      case 7: if (t.deliverables?.length) t.deliverables[0]!.done = !t.deliverables[0]!.done; else t.deliverables = [{ text: 'x', done: false }]; break;
      case 8: if (typeof t.extra.completion_reason === 'string') delete t.extra.completion_reason; else t.extra.completion_reason = 'lead override'; break;
      // A claim that runs out in the past or in the future.
      case 9: busy(r, next, t).leaseUntil = r() < 0.3 ? null : now + Math.floor((r() - 0.5) * 2 * HOUR); break;
      case 10: next.push(task({ id: anyId(r), status: 'blocked', dependsOn: [anyId(r)], updatedAt: now - 3 * HOUR })); break;
      case 11: next.splice(i, 1); break;
      case 12: { const u = busy(r, next, t); u.startedAt = u.startedAt === null ? now - 5 * HOUR : u.startedAt + 1000; break; }
      // A dependency renamed in place (same length, other id).
      case 13: if (t.dependsOn.length) t.dependsOn[Math.floor(r() * t.dependsOn.length)] = anyId(r); else t.dependsOn.push(anyId(r)); break;
      // Two tasks change places.
      case 14: { const j = Math.floor(r() * next.length); [next[i], next[j]] = [next[j]!, next[i]!]; break; }
      default: t.status = 'in_progress'; break;
    }
  }
  return next;
}

interface Modules { taskStuck: Detector; ambiguousDone: Detector; dependencyCycle: Detector; invalidState: Detector }

async function load(): Promise<Modules> {
  return {
    taskStuck: (await import('../../src/alerts/detectors/task-stuck.js')).taskStuck,
    ambiguousDone: (await import('../../src/alerts/detectors/ambiguous-done.js')).ambiguousDone,
    dependencyCycle: (await import('../../src/alerts/detectors/dependency-cycle.js')).dependencyCycle,
    invalidState: (await import('../../src/alerts/detectors/invalid-state.js')).invalidState,
  };
}

describe('detectors that remember earlier runs', () => {
  let warm: Modules;
  beforeAll(async () => { warm = await load(); });

  it('say what a first run says, over random rewrites and ticks', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const r = rng(seed);
      // Two teams, changed in turn (the memories are per team id, or shared by content).
      const teams = [{ id: 'inc', tasks: initial(r, 24) }, { id: 'inc2', tasks: initial(r, 24) }];
      let now = NOW;
      let thresholds: Thresholds = DEFAULT_THRESHOLDS;
      for (let step = 0; step < 80; step++) {
        const t = teams[step % 2]!;
        if (r() < 0.7) t.tasks = rewrite(r, t.tasks, now);
        // The clock stands still now and then (two changes within the same second).
        if (r() < 0.7) now += Math.floor(r() * 90_000);
        if (r() < 0.05) thresholds = { ...DEFAULT_THRESHOLDS, taskStuckHours: 1 + Math.floor(r() * 3) };
        const ctx = { team: team({ id: t.id, tasks: t.tasks, capabilities: { ...team().capabilities, deliverables: true } }), now, thresholds };
        vi.resetModules();
        const fresh = await load();
        for (const name of Object.keys(warm) as Array<keyof Modules>) {
          expect(warm[name](ctx), `${name}, seed ${seed}, step ${step}`).toEqual(fresh[name](ctx));
        }
        expect(cycleComponents(t.tasks), `cycles, seed ${seed}, step ${step}`).toEqual(findCycleComponents(t.tasks));
      }
    }
  });

  it('a finished task shrinks a remembered cycle; a reopened one brings it back', () => {
    const cycle = [task({ id: 'A', status: 'blocked', dependsOn: ['B'] }), task({ id: 'B', status: 'blocked', dependsOn: ['C'] }),
      task({ id: 'C', status: 'blocked', dependsOn: ['A', 'B'] })];
    expect(cycleComponents(cycle).map((c) => c.chain)).toEqual([['A', 'B', 'C']]);
    const done = cycle.map((t) => (t.id === 'A' ? { ...t, status: 'completed' as const } : { ...t }));
    expect(cycleComponents(done).map((c) => c.chain)).toEqual([['B', 'C']]);
    const reopened = done.map((t) => ({ ...t, status: 'blocked' as const }));
    expect(cycleComponents(reopened).map((c) => c.chain)).toEqual([['A', 'B', 'C']]);
  });
});
