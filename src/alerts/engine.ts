// Keeps the alerts of every team current: recomputed when the state changes and on each clock
// tick (ages cross thresholds without any file changing), emitted only when they differ. Runs
// outside React, so rendering never runs a detector.
import type { RootSnapshot, TeamSnapshot } from '../model/types.js';
import type { StateSource } from '../sources/source.js';
import type { Clock } from '../tui/clock.js';
import type { Thresholds } from './config.js';
import { detect, DetectorCache } from './index.js';
import { makeAlert, sortAlerts, type Alert } from './types.js';

export type AlertsByTeam = ReadonlyMap<string, readonly Alert[]>;

/** Detectors over one team that never throw: a failing detector becomes an alert itself. */
export function safeDetect(team: TeamSnapshot, now: number, thresholds: Thresholds, cache?: DetectorCache): Alert[] {
  try {
    return cache ? cache.detect(team, now, thresholds) : detect(team, now, thresholds);
  } catch (e) {
    return sortAlerts([makeAlert({
      kind: 'invalid-state', severity: 'medium', subject: ['detector'],
      summary: `a detector failed on this team: ${(e as Error).message}`,
      evidence: { error: (e as Error).message }, since: null,
      workflow: 'Report this as a teamtop bug; the other panes stay current.',
    })]);
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

  constructor(private readonly source: StateSource, private readonly clock: Clock, private thresholds: Thresholds) {}

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
      const alerts = safeDetect(team, now, this.thresholds, this.cache);
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
    if (changed || next.size !== this.current.size) {
      this.current = next;
      for (const l of [...this.listeners]) l();
    }
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
