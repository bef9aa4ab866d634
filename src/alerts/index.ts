// The detector registry: every detector is a pure function (team, now, thresholds) -> alerts, in
// its own module under detectors/. The kinds listed here are the catalogue `check --only` accepts.
import type { TeamSnapshot } from '../model/types.js';
import type { Thresholds } from './config.js';
import { sortAlerts, type Alert, type Detector } from './types.js';
import { heartbeat } from './detectors/heartbeat.js';
import { context } from './detectors/context.js';
import { messageUnacked } from './detectors/message-unacked.js';
import { sequenceGap } from './detectors/sequence-gap.js';
import { notProcessing } from './detectors/not-processing.js';
import { dependencyCycle } from './detectors/dependency-cycle.js';
import { deadlock } from './detectors/deadlock.js';
import { taskStuck } from './detectors/task-stuck.js';
import { leadOffline } from './detectors/lead-offline.js';
import { hookViolation } from './detectors/hook-violation.js';
import { consolidationFailure } from './detectors/consolidation-failure.js';
import { networkPartition } from './detectors/network-partition.js';
import { staleResult } from './detectors/stale-result.js';
import { leadImplementing } from './detectors/lead-implementing.js';
import { ambiguousDone } from './detectors/ambiguous-done.js';
import { contextLostAfterCompaction } from './detectors/context-lost.js';
import { invalidState } from './detectors/invalid-state.js';
import { teammateFailed } from './detectors/teammate-failed.js';

/** `clock`: the result depends on the time, not only on the state (re-run on every tick). */
export const DETECTORS: ReadonlyArray<{ name: string; kinds: string[]; run: Detector; clock: boolean }> = [
  { name: 'heartbeat', kinds: ['teammate-idle', 'teammate-stale', 'teammate-dead'], run: heartbeat, clock: true },
  { name: 'context', kinds: ['context-exhausted', 'context-high'], run: context, clock: false },
  { name: 'message-unacked', kinds: ['message-unacked'], run: messageUnacked, clock: true },
  { name: 'sequence-gap', kinds: ['sequence-gap'], run: sequenceGap, clock: false },
  { name: 'not-processing', kinds: ['not-processing'], run: notProcessing, clock: true },
  { name: 'dependency-cycle', kinds: ['dependency-cycle'], run: dependencyCycle, clock: false },
  { name: 'deadlock', kinds: ['deadlock'], run: deadlock, clock: false },
  { name: 'task-stuck', kinds: ['task-stuck', 'team-stalled'], run: taskStuck, clock: true },
  { name: 'lead-offline', kinds: ['lead-offline'], run: leadOffline, clock: true },
  { name: 'hook-violation', kinds: ['hook-violation'], run: hookViolation, clock: false },
  { name: 'consolidation-failure', kinds: ['consolidation-failure'], run: consolidationFailure, clock: false },
  { name: 'network-partition', kinds: ['network-partition'], run: networkPartition, clock: true },
  { name: 'stale-result', kinds: ['stale-result'], run: staleResult, clock: false },
  { name: 'lead-implementing', kinds: ['lead-implementing'], run: leadImplementing, clock: false },
  { name: 'ambiguous-done', kinds: ['ambiguous-done'], run: ambiguousDone, clock: false },
  { name: 'context-lost-after-compaction', kinds: ['context-lost-after-compaction'], run: contextLostAfterCompaction, clock: false },
  { name: 'teammate-failed', kinds: ['teammate-failed'], run: teammateFailed, clock: false },
  { name: 'invalid-state', kinds: ['invalid-state'], run: invalidState, clock: false },
];

export const ALERT_KINDS: readonly string[] = DETECTORS.flatMap((d) => d.kinds);

/** Detectors that read the mailbox aggregates: not run until a large mailbox is fully indexed. */
const MAILBOX_DETECTORS = new Set(['message-unacked', 'sequence-gap', 'network-partition']);

function applies(name: string, team: TeamSnapshot): boolean {
  return !(team.mailbox.indexing && MAILBOX_DETECTORS.has(name));
}

/** Every detector, from scratch. */
export function detect(team: TeamSnapshot, now: number, thresholds: Thresholds): Alert[] {
  const out: Alert[] = [];
  for (const d of DETECTORS) if (applies(d.name, team)) out.push(...d.run({ team, now, thresholds }));
  return sortAlerts(out);
}

/**
 * The same alerts, reusing the clock-independent detectors' results while the team snapshot is
 * the same object (snapshots are immutable; a change makes a new one). For the live engine,
 * where most ticks change nothing but the time.
 */
export class DetectorCache {
  private cache = new WeakMap<TeamSnapshot, { thresholds: Thresholds; alerts: Alert[] }>();

  detect(team: TeamSnapshot, now: number, thresholds: Thresholds): Alert[] {
    let hit = this.cache.get(team);
    if (!hit || hit.thresholds !== thresholds) {
      const alerts: Alert[] = [];
      for (const d of DETECTORS) if (!d.clock && applies(d.name, team)) alerts.push(...d.run({ team, now, thresholds }));
      hit = { thresholds, alerts };
      this.cache.set(team, hit);
    }
    const out = [...hit.alerts];
    for (const d of DETECTORS) if (d.clock && applies(d.name, team)) out.push(...d.run({ team, now, thresholds }));
    return sortAlerts(out);
  }
}
