import { describe, expect, it } from 'vitest';
import { dependencyCycle } from '../../src/alerts/detectors/dependency-cycle.js';
import { findCycles } from '../../src/model/graph.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import type { Task } from '../../src/model/types.js';
import { team, task } from '../helpers/model.js';

const run = (tasks: Task[]) => dependencyCycle({ team: team({ tasks }), now: 0, thresholds: DEFAULT_THRESHOLDS });
const deps = (spec: Record<string, string[]>, status: Task['status'] = 'blocked'): Task[] =>
  Object.entries(spec).map(([id, dependsOn]) => task({ id, dependsOn, status }));

describe('findCycles', () => {
  it('finds the seed 3-task cycle starting at the smallest id, in dependency order', () => {
    const tasks = [
      task({ id: 'optimize', owner: 'optimizer', status: 'blocked', dependsOn: ['review'] }),
      task({ id: 'review', owner: 'reviewer', status: 'blocked', dependsOn: ['benchmark'] }),
      task({ id: 'benchmark', owner: 'benchmarker', status: 'blocked', dependsOn: ['optimize'] }),
    ];
    expect(findCycles(tasks)).toEqual([['benchmark', 'optimize', 'review']]);
  });
  it('finds Workflow D: Task#1 ↔ Task#2', () => {
    expect(findCycles(deps({ 'Task#2': ['Task#1'], 'Task#1': ['Task#2'] }, 'pending'))).toEqual([['Task#1', 'Task#2']]);
  });
  it('finds a self-loop', () => {
    expect(findCycles(deps({ A: ['A'], B: [] }))).toEqual([['A']]);
  });
  it('finds several disjoint cycles, sorted by first element', () => {
    const tasks = deps({ Z: ['Y'], Y: ['Z'], M: ['N'], N: ['O'], O: ['M'], B: ['A'], A: ['B'], free: ['A'] });
    expect(findCycles(tasks)).toEqual([['A', 'B'], ['M', 'N', 'O'], ['Y', 'Z']]);
  });
  it('a cycle through a completed task is not a cycle', () => {
    const tasks = [
      task({ id: 'A', status: 'blocked', dependsOn: ['B'] }),
      task({ id: 'B', status: 'completed', dependsOn: ['C'] }),
      task({ id: 'C', status: 'blocked', dependsOn: ['A'] }),
    ];
    expect(findCycles(tasks)).toEqual([]);
    expect(findCycles(tasks.map((t) => (t.id === 'B' ? { ...t, status: 'deleted' as const } : t)))).toEqual([]);
  });
  it('a dependency on a missing id is not an edge', () => {
    expect(findCycles(deps({ A: ['ghost'], ghost2: ['A'] }))).toEqual([]);
  });
  it('an acyclic graph (diamond) has no cycle', () => {
    expect(findCycles(deps({ A: ['B', 'C'], B: ['D'], C: ['D'], D: [] }))).toEqual([]);
  });
  it('one SCC with two overlapping cycles gives one chain: the shortest cycle through the smallest id', () => {
    // A→B→C→A and A→D→E→F→A share A; also C→E ties them into one component.
    const tasks = deps({ A: ['D', 'B'], B: ['C'], C: ['A', 'E'], D: ['E'], E: ['F'], F: ['A'] });
    expect(findCycles(tasks)).toEqual([['A', 'B', 'C']]);
  });
  it('visits successors in sorted order when two cycles through the start are equally short', () => {
    expect(findCycles(deps({ A: ['C', 'B'], B: ['A'], C: ['A'] }))).toEqual([['A', 'B']]);
  });
  it('handles a chain of 10,000 tasks closed into one cycle without recursion', () => {
    const n = 10_000;
    const id = (i: number) => `T${String(i).padStart(5, '0')}`;
    const tasks: Task[] = [];
    for (let i = 0; i < n; i++) tasks.push(task({ id: id(i), status: 'pending', dependsOn: [id((i + 1) % n)] }));
    const cycles = findCycles(tasks);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(n);
    expect(cycles[0]![0]).toBe(id(0));
    expect(cycles[0]![n - 1]).toBe(id(n - 1));
    expect(cycles[0]![1]).toBe(id(1));
  });
  it('handles 10,000 tasks and 30,000 edges in a deep acyclic graph', () => {
    const n = 10_000;
    const tasks: Task[] = [];
    for (let i = 0; i < n; i++) {
      const d = [i + 1, i + 2, i + 3].filter((j) => j < n).map((j) => `t${j}`);
      tasks.push(task({ id: `t${i}`, status: 'pending', dependsOn: d }));
    }
    expect(findCycles(tasks)).toEqual([]);
    // Closing one edge makes the whole graph one component; the shortest cycle through the
    // smallest id ("t0") is found.
    tasks[n - 1]!.dependsOn = ['t0'];
    const cycles = findCycles(tasks);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]![0]).toBe('t0');
    expect(cycles[0]!.at(-1)).toBe(`t${n - 1}`);
  });
});

describe('dependencyCycle alert', () => {
  it('reports the seed cycle as critical with chain, edges and owners', () => {
    const alerts = run([
      task({ id: 'optimize', owner: 'optimizer', status: 'blocked', dependsOn: ['review'] }),
      task({ id: 'review', owner: 'reviewer', status: 'blocked', dependsOn: ['benchmark'] }),
      task({ id: 'benchmark', owner: 'benchmarker', status: 'blocked', dependsOn: ['optimize'] }),
    ]);
    expect(alerts).toHaveLength(1);
    const a = alerts[0]!;
    expect(a).toMatchObject({
      id: 'dependency-cycle:benchmark:optimize:review',
      kind: 'dependency-cycle', severity: 'critical', subject: ['benchmark', 'optimize', 'review'],
      summary: 'dependency cycle: benchmark → optimize → review → benchmark',
      since: null, actions: ['break-cycle', 'complete'],
    });
    expect(a.evidence).toEqual({
      chain: ['benchmark', 'optimize', 'review'],
      edges: [['benchmark', 'optimize'], ['optimize', 'review'], ['review', 'benchmark']],
      owners: { benchmark: 'benchmarker', optimize: 'optimizer', review: 'reviewer' },
    });
    expect(a.workflow).toMatch(/\(b\)/);
    expect(a.workflow).toMatch(/\(c\)/);
  });
  it('Workflow D gives one alert', () => {
    const alerts = run([
      task({ id: 'Task#1', owner: 'tm_schema', dependsOn: ['Task#2'] }),
      task({ id: 'Task#2', owner: 'tm_engine', dependsOn: ['Task#1'] }),
    ]);
    expect(alerts.map((a) => [a.kind, a.subject, a.summary])).toEqual([
      ['dependency-cycle', ['Task#1', 'Task#2'], 'dependency cycle: Task#1 → Task#2 → Task#1'],
    ]);
  });
  it('an SCC with two overlapping cycles gives exactly one alert, with members when larger than the chain', () => {
    const alerts = run(deps({ A: ['B', 'D'], B: ['A'], D: ['E'], E: ['A'] }));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.subject).toEqual(['A', 'B']);
    expect(alerts[0]!.evidence.members).toEqual(['A', 'B', 'D', 'E']);
    expect(alerts[0]!.evidence.edges).toEqual([['A', 'B'], ['B', 'A']]);
  });
  it('omits members when the chain covers the whole component', () => {
    expect(run(deps({ A: ['B'], B: ['A'] }))[0]!.evidence).not.toHaveProperty('members');
  });
  it('self-loop alert', () => {
    const [a] = run(deps({ X: ['X'] }));
    expect(a).toMatchObject({ subject: ['X'], summary: 'dependency cycle: X → X', evidence: { edges: [['X', 'X']], owners: { X: null } } });
  });
  it('one alert per disjoint cycle', () => {
    expect(run(deps({ A: ['B'], B: ['A'], C: ['D'], D: ['C'] })).map((a) => a.id))
      .toEqual(['dependency-cycle:A:B', 'dependency-cycle:C:D']);
  });
  it('no alert without a cycle among unfinished tasks', () => {
    expect(run([])).toEqual([]);
    expect(run([task({ id: 'A', dependsOn: ['B'] }), task({ id: 'B', status: 'completed', dependsOn: ['A'] })])).toEqual([]);
  });
});
