// The live engine's DetectorCache re-runs a clock-independent detector only when a field of the
// team it read last time changed: the result always equals a fresh run, and a change to one file
// does not re-run the detectors that never read it.
import { describe, expect, it } from 'vitest';
import { DetectorCache, detect, DETECTORS } from '../src/alerts/index.js';
import { makeAlert, mergeSorted, sortAlerts, type Alert } from '../src/alerts/types.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { team, task, teammate, message } from './helpers/model.js';
import type { TeamSnapshot } from '../src/model/snapshot.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

function base(): TeamSnapshot {
  return team({
    teammates: [teammate({ id: 'a', contextUsed: 190_000, contextMax: 200_000 } as never), teammate({ id: 'b' })],
    tasks: [task({ id: 'A', dependsOn: ['B'] }), task({ id: 'B', dependsOn: ['A'] }), task({ id: 'C', dependsOn: ['missing'] })],
    messages: [{ sequence: 1, from: 'a', to: 'lead', type: 'message', payload: 'x' }, { sequence: 3, from: 'a', to: 'lead', type: 'message', payload: 'y' }],
  });
}

/** Counts the runs of each detector while `f` runs. */
function counting<T>(f: () => T): { result: T; runs: Map<string, number> } {
  const runs = new Map<string, number>();
  const saved = DETECTORS.map((d) => d.run);
  DETECTORS.forEach((d, i) => {
    (d as { run: typeof d.run }).run = (ctx) => { runs.set(d.name, (runs.get(d.name) ?? 0) + 1); return saved[i]!(ctx); };
  });
  try {
    return { result: f(), runs };
  } finally {
    DETECTORS.forEach((d, i) => { (d as { run: typeof d.run }).run = saved[i]!; });
  }
}

describe('DetectorCache after a change', () => {
  it('re-runs only the clock-independent detectors that read the changed field, and matches a fresh run', () => {
    const cache = new DetectorCache();
    const t0 = base();
    expect(cache.detect(t0, NOW, DEFAULT_THRESHOLDS)).toEqual(detect(t0, NOW, DEFAULT_THRESHOLDS));

    // A mailbox change: a new snapshot whose mailbox is a new object, the tasks the same.
    const t1: TeamSnapshot = { ...t0, version: t0.version + 1, mailbox: team({ messages: [message({ sequence: 1, from: 'a', to: 'lead', type: 'message', payload: 'x' })] }).mailbox };
    const { result: r1, runs: runs1 } = counting(() => cache.detect(t1, NOW, DEFAULT_THRESHOLDS));
    expect(r1).toEqual(detect(t1, NOW, DEFAULT_THRESHOLDS));
    expect(runs1.get('dependency-cycle')).toBeUndefined();
    expect(runs1.get('deadlock')).toBeUndefined();
    expect(runs1.get('sequence-gap')).toBe(1);
    // The gap between 1 and 3 is gone with the new mailbox.
    expect(r1.some((a) => a.kind === 'sequence-gap')).toBe(false);
    expect(detect(t0, NOW, DEFAULT_THRESHOLDS).some((a) => a.kind === 'sequence-gap')).toBe(true);

    // A manifest change that breaks the cycle: the cycle detector runs again and the alert goes.
    const t2: TeamSnapshot = { ...t1, version: t1.version + 1, tasks: [task({ id: 'A' }), task({ id: 'B', dependsOn: ['A'] }), task({ id: 'C', dependsOn: ['missing'] })] };
    const { result: r2, runs: runs2 } = counting(() => cache.detect(t2, NOW, DEFAULT_THRESHOLDS));
    expect(runs2.get('dependency-cycle')).toBe(1);
    expect(runs2.get('sequence-gap')).toBeUndefined();
    expect(r2).toEqual(detect(t2, NOW, DEFAULT_THRESHOLDS));
    expect(r2.some((a) => a.kind === 'dependency-cycle')).toBe(false);
    expect(r1.some((a) => a.kind === 'dependency-cycle')).toBe(true);

    // Other thresholds: everything runs again.
    const strict = { ...DEFAULT_THRESHOLDS };
    const { runs: runs3 } = counting(() => cache.detect({ ...t2, version: t2.version + 1 }, NOW, strict));
    expect(runs3.get('dependency-cycle')).toBe(1);
  });
});

describe('mergeSorted', () => {
  it('gives what sorting both lists together gives', () => {
    let seed = 7;
    const r = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const severities = ['critical', 'high', 'medium', 'low'] as const;
    const alert = (i: number): Alert => makeAlert({
      kind: 'task-stuck', severity: severities[Math.floor(r() * 4)]!, subject: [`T${i}`], summary: `${i}`,
      evidence: {}, since: r() < 0.2 ? null : Math.floor(r() * 50), workflow: '',
    });
    for (let round = 0; round < 20; round++) {
      const a = Array.from({ length: Math.floor(r() * 60) }, (_, i) => alert(i));
      const b = Array.from({ length: Math.floor(r() * 60) }, (_, i) => alert(1000 + i));
      expect(mergeSorted(sortAlerts(a), sortAlerts(b)).map((x) => x.id)).toEqual(sortAlerts([...a, ...b]).map((x) => x.id));
    }
  });
});
