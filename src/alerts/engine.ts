// Keeps the alerts of every team current: recomputed when the state changes and on each clock
// tick (ages cross thresholds without any file changing), emitted only when they differ. Runs
// outside React, so rendering never runs a detector.
import { trace } from '../model/trace.js';
import type { RootSnapshot, SnapshotStore, TeamSnapshot } from '../model/snapshot.js';
import type { Clock } from '../model/clock.js';
import type { Thresholds } from '../model/thresholds.js';
import { detectTeam, DetectorCache, withFailureAlerts, type Detection } from './index.js';
import { type Alert } from './types.js';

export type AlertsByTeam = ReadonlyMap<string, readonly Alert[]>;
export type { Detection, DetectorFailure } from './index.js';

/**
 * Detectors over one team that never throw. Each detector runs on its own: one that fails is
 * reported in `failures` (which detector, the error) and the others' alerts are all still there.
 */
export function safeDetect(team: TeamSnapshot, now: number, thresholds: Thresholds, cache?: DetectorCache): Detection {
  try {
    return cache ? cache.run(team, now, thresholds) : detectTeam(team, now, thresholds);
  } catch (e) {
    // Only the registry itself can get here (every detector is already isolated).
    return { alerts: [], failures: [{ detector: 'engine', kinds: [], error: e instanceof Error ? e.message : String(e) }] };
  }
}

function signature(alerts: readonly Alert[]): string {
  return alerts.map((a) => `${a.id}|${a.severity}|${a.summary}`).join('\n');
}

export class AlertEngine {
  private current: AlertsByTeam = new Map();
  private sigs = new Map<string, string>();
  private listeners = new Set<() => void>();
  private unsubs: Array<() => void> = [];
  private cache = new DetectorCache();
  /** Per team, when each alert was first seen in this run (while it stays present). */
  private seen = new Map<string, Map<string, number>>();
  /** The stamped copy of each detector alert, reused while the detector returns the same object. */
  private stamped = new WeakMap<Alert, Alert>();

  constructor(private readonly source: SnapshotStore, private readonly clock: Clock, private thresholds: Thresholds) {}

  start(): void {
    this.recompute();
    this.unsubs.push(this.source.subscribe(() => this.recompute()));
    this.unsubs.push(this.clock.subscribe(() => this.recompute()));
  }

  stop(): void {
    for (const u of this.unsubs) u();
    this.unsubs = [];
    this.listeners.clear();
  }

  recompute(): void {
    const snap: RootSnapshot = this.source.getSnapshot();
    const now = this.clock.now();
    const next = new Map<string, readonly Alert[]>();
    let changed = false;
    for (const team of snap.teams) {
      // A failed detector shows in the TUI as an alert naming it.
      const alerts = this.stamp(team.id, withFailureAlerts(safeDetect(team, now, this.thresholds, this.cache)), now);
      const sig = signature(alerts);
      const prev = this.current.get(team.id);
      if (!prev || this.sigs.get(team.id) !== sig) {
        changed = true;
        next.set(team.id, alerts);
      } else {
        next.set(team.id, prev);
      }
      this.sigs.set(team.id, sig);
    }
    trace('alerts', changed ? 'changed' : 'same');
    if (changed || next.size !== this.current.size) {
      this.current = next;
      for (const l of [...this.listeners]) l();
    }
  }

  /** Alerts whose start the files cannot tell carry when teamtop first saw them (continuously since). */
  private stamp(teamId: string, alerts: Alert[], now: number): Alert[] {
    const before = this.seen.get(teamId) ?? new Map<string, number>();
    const after = new Map<string, number>();
    const out = alerts.map((a) => {
      const first = before.get(a.id) ?? now;
      after.set(a.id, first);
      if (a.since !== null) return a;
      // The clock-independent detectors' alerts are cached objects: no new copy on every tick.
      const prev = this.stamped.get(a);
      if (prev && prev.seenSince === first) return prev;
      const copy = { ...a, seenSince: first };
      this.stamped.set(a, copy);
      return copy;
    });
    this.seen.set(teamId, after);
    return out;
  }

  getSnapshot = (): AlertsByTeam => this.current;

  get listenerCount(): number {
    return this.listeners.size;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  };
}
