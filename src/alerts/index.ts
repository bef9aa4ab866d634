// The detector registry: every detector is a pure function (team, now, thresholds) -> alerts, in
// its own module under detectors/. The kinds listed here are the catalogue `check --only` accepts.
import type { TeamSnapshot } from '../model/snapshot.js';
import type { Thresholds } from '../model/thresholds.js';
import { makeAlert, mergeSorted, sortAlerts, type Alert, type Detector } from './types.js';
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
import { rollbackInterrupted } from './detectors/rollback-interrupted.js';
import { awaitingApproval } from './detectors/awaiting-approval.js';

/**
 * `clock`: the result depends on the time, not only on the state (re-run on every tick).
 * `needs`: the part of the model it reads that a team may not have (a Claude Code team without
 * task files): then it does not run, and unavailableDetectors() says so.
 */
export const DETECTORS: ReadonlyArray<{ name: string; kinds: string[]; run: Detector; clock: boolean; needs?: 'tasks' }> = [
  { name: 'heartbeat', kinds: ['teammate-idle', 'teammate-stale', 'teammate-dead'], run: heartbeat, clock: true },
  { name: 'context', kinds: ['context-exhausted', 'context-high'], run: context, clock: false },
  { name: 'message-unacked', kinds: ['message-unacked'], run: messageUnacked, clock: true },
  { name: 'sequence-gap', kinds: ['sequence-gap'], run: sequenceGap, clock: false },
  { name: 'not-processing', kinds: ['not-processing'], run: notProcessing, clock: true },
  { name: 'dependency-cycle', kinds: ['dependency-cycle'], run: dependencyCycle, clock: false, needs: 'tasks' },
  { name: 'deadlock', kinds: ['deadlock'], run: deadlock, clock: false, needs: 'tasks' },
  { name: 'task-stuck', kinds: ['task-stuck', 'team-stalled'], run: taskStuck, clock: true, needs: 'tasks' },
  { name: 'lead-offline', kinds: ['lead-offline'], run: leadOffline, clock: true },
  { name: 'hook-violation', kinds: ['hook-violation'], run: hookViolation, clock: false },
  { name: 'consolidation-failure', kinds: ['consolidation-failure'], run: consolidationFailure, clock: false },
  { name: 'network-partition', kinds: ['network-partition'], run: networkPartition, clock: true },
  { name: 'stale-result', kinds: ['stale-result'], run: staleResult, clock: false, needs: 'tasks' },
  { name: 'lead-implementing', kinds: ['lead-implementing'], run: leadImplementing, clock: false },
  { name: 'ambiguous-done', kinds: ['ambiguous-done'], run: ambiguousDone, clock: false, needs: 'tasks' },
  { name: 'context-lost-after-compaction', kinds: ['context-lost-after-compaction'], run: contextLostAfterCompaction, clock: false },
  { name: 'teammate-failed', kinds: ['teammate-failed'], run: teammateFailed, clock: false },
  { name: 'awaiting-approval', kinds: ['awaiting-approval'], run: awaitingApproval, clock: true },
  { name: 'rollback-interrupted', kinds: ['rollback-interrupted'], run: rollbackInterrupted, clock: false },
  { name: 'invalid-state', kinds: ['invalid-state'], run: invalidState, clock: false },
];

export const ALERT_KINDS: readonly string[] = DETECTORS.flatMap((d) => d.kinds);

const ORDER = new Map(DETECTORS.map((d, i) => [d.name, i]));

/** Detectors that read the mailbox aggregates: not run until a large mailbox is fully indexed. */
const MAILBOX_DETECTORS = new Set(['message-unacked', 'sequence-gap', 'network-partition']);

function applies(d: Entry, team: TeamSnapshot): boolean {
  if (d.needs && team.unavailable?.[d.needs]) return false;
  return !(team.mailbox.indexing && MAILBOX_DETECTORS.has(d.name));
}

/** A detector that threw: which one, the kinds it would have reported, and the error. */
export interface DetectorFailure {
  detector: string;
  kinds: string[];
  error: string;
}

/** The alerts of every detector that ran, and the detectors that failed (never hiding the others). */
export interface Detection {
  alerts: Alert[];
  failures: DetectorFailure[];
}

/**
 * Test-only fault injection, in the style of TEAMTOP_FAULT=uncaught|render (src/cli/tui.ts):
 * TEAMTOP_FAULT=detector:NAME[,NAME…] makes the named detectors throw, so the end-to-end tests can
 * check that one failing detector never hides the others' alerts. Not for use in production.
 */
function injectedFaults(): ReadonlySet<string> | null {
  const f = process.env.TEAMTOP_FAULT;
  if (!f || !f.startsWith('detector:')) return null;
  return new Set(f.slice('detector:'.length).split(',').map((x) => x.trim()).filter(Boolean));
}

type Entry = (typeof DETECTORS)[number];

/** A detector that cannot run on this team, and why (its kinds are not "clean", just unknown). */
export interface UnavailableDetector {
  detector: string;
  kinds: string[];
  reason: string;
}

/** The detectors that do not run on this team because it lacks what they read. */
export function unavailableDetectors(team: TeamSnapshot): UnavailableDetector[] {
  const out: UnavailableDetector[] = [];
  for (const d of DETECTORS) {
    const reason = d.needs ? team.unavailable?.[d.needs] : undefined;
    if (reason) out.push({ detector: d.name, kinds: [...d.kinds], reason });
  }
  return out;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  try {
    return String(e);
  } catch {
    return 'unknown error';
  }
}

/** One detector's outcome: its alerts, or the failure that stands for them. */
interface Outcome {
  alerts: readonly Alert[];
  failure: DetectorFailure | null;
}

/** Runs one detector on its own: one that throws becomes a failure. */
function runOne(d: Entry, team: TeamSnapshot, now: number, thresholds: Thresholds, faults: ReadonlySet<string> | null): Outcome {
  try {
    if (faults?.has(d.name)) throw new Error(`injected fault (TEAMTOP_FAULT=detector:${d.name})`);
    return { alerts: d.run({ team, now, thresholds }), failure: null };
  } catch (e) {
    return { alerts: [], failure: { detector: d.name, kinds: [...d.kinds], error: errorText(e) } };
  }
}

function add(into: Detection, o: Outcome): void {
  // A loop, not push(...list): a detector may return any number of alerts.
  for (const a of o.alerts) into.alerts.push(a);
  if (o.failure) into.failures.push(o.failure);
}

/** A team ended is judged as of its end: its alerts are history and do not age. */
const judgedAt = (team: TeamSnapshot, time: number): number => (team.endedAt != null && team.endedAt < time ? team.endedAt : time);

/** Runs the detectors that `pick` selects, each on its own: one that throws becomes a failure. */
function runEach(team: TeamSnapshot, time: number, thresholds: Thresholds, pick: (d: Entry) => boolean, into: Detection): void {
  const faults = injectedFaults();
  const now = judgedAt(team, time);
  for (const d of DETECTORS) {
    if (!pick(d) || !applies(d, team)) continue;
    add(into, runOne(d, team, now, thresholds, faults));
  }
}

/** Every detector, from scratch, each isolated from the others' failures. */
export function detectTeam(team: TeamSnapshot, now: number, thresholds: Thresholds): Detection {
  const out: Detection = { alerts: [], failures: [] };
  runEach(team, now, thresholds, () => true, out);
  out.alerts = sortAlerts(out.alerts);
  return out;
}

/** A failed detector as an alert naming it, for views that list alerts only (the TUI, reports). */
export function failureAlert(f: DetectorFailure): Alert {
  return makeAlert({
    kind: 'invalid-state', severity: 'high', subject: ['detector', f.detector],
    summary: `detector ${f.detector} failed: ${f.error} (its alerts, ${f.kinds.join(', ')}, cannot be shown)`,
    evidence: { detector: f.detector, kinds: f.kinds, error: f.error }, since: null,
    workflow: 'Report this as a teamtop bug. The other detectors still run; check the state this detector watches by hand meanwhile.',
  });
}

/** The alerts with each failure folded in as an alert naming the detector, sorted. */
export function withFailureAlerts(d: Detection): Alert[] {
  if (d.failures.length === 0) return d.alerts;
  const out = d.alerts.slice();
  for (const f of d.failures) out.push(failureAlert(f));
  return sortAlerts(out);
}

/** Whether every field a detector read last time is the very same value in `team`. */
function sameReads(reads: Map<string | symbol, unknown>, team: TeamSnapshot): boolean {
  for (const [key, v] of reads) if ((team as unknown as Record<string | symbol, unknown>)[key] !== v) return false;
  return true;
}

/** Every detector, from scratch; a detector that failed shows as an alert naming it. */
export function detect(team: TeamSnapshot, now: number, thresholds: Thresholds): Alert[] {
  return withFailureAlerts(detectTeam(team, now, thresholds));
}

/** What a clock-independent detector read of a team (its top-level fields), and what it found. */
interface Memo {
  thresholds: Thresholds;
  reads: Map<string | symbol, unknown>;
  outcome: Outcome;
}

const MAX_MEMO_TEAMS = 10_000;

/**
 * The same alerts, for the live engine, without re-running what cannot have changed:
 * - while the team snapshot is the same object (snapshots are immutable; a change makes a new
 *   one), the clock-independent detectors' results are reused and only the clock ones run;
 * - after a change, a clock-independent detector runs again only if a field of the team it read
 *   last time (recorded as it ran: tasks, mailbox, teammates…) is no longer the same value. The
 *   sources keep a field's object when its file did not change, so a mailbox append does not
 *   re-walk 10,000 tasks for cycles, and a heartbeat does not re-check the mailbox.
 */
export class DetectorCache {
  private cache = new WeakMap<TeamSnapshot, { thresholds: Thresholds; result: Detection }>();
  private memo = new Map<string, Map<string, Memo>>();

  /** Alerts and per-detector failures. */
  run(team: TeamSnapshot, now: number, thresholds: Thresholds): Detection {
    let hit = this.cache.get(team);
    if (!hit || hit.thresholds !== thresholds) {
      const result: Detection = { alerts: [], failures: [] };
      const faults = injectedFaults();
      const at = judgedAt(team, now);
      for (const d of DETECTORS) {
        if (d.clock || !applies(d, team)) continue;
        add(result, this.incremental(d, team, at, thresholds, faults));
      }
      // Sorted once per snapshot; each tick sorts only the clock detectors' alerts and merges.
      result.alerts = sortAlerts(result.alerts);
      hit = { thresholds, result };
      this.cache.set(team, hit);
    }
    const out: Detection = { alerts: [], failures: hit.result.failures.slice() };
    runEach(team, now, thresholds, (d) => d.clock, out);
    out.alerts = mergeSorted(hit.result.alerts, sortAlerts(out.alerts));
    // Failures in the registry's order, whichever pass they came from.
    out.failures.sort((a, b) => ORDER.get(a.detector)! - ORDER.get(b.detector)!);
    return out;
  }

  private incremental(d: Entry, team: TeamSnapshot, now: number, thresholds: Thresholds, faults: ReadonlySet<string> | null): Outcome {
    let byDetector = this.memo.get(team.id);
    if (!byDetector) {
      if (this.memo.size >= MAX_MEMO_TEAMS) this.memo.clear();
      this.memo.set(team.id, (byDetector = new Map()));
    }
    const prev = byDetector.get(d.name);
    if (prev && prev.thresholds === thresholds && sameReads(prev.reads, team)) return prev.outcome;
    const reads = new Map<string | symbol, unknown>();
    const recorded = new Proxy(team, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver) as unknown;
        if (!reads.has(key)) reads.set(key, v);
        return v;
      },
    });
    const outcome = runOne(d, recorded, now, thresholds, faults);
    byDetector.set(d.name, { thresholds, reads, outcome });
    return outcome;
  }

  /** Like detect(): a failed detector shows as an alert naming it. */
  detect(team: TeamSnapshot, now: number, thresholds: Thresholds): Alert[] {
    return withFailureAlerts(this.run(team, now, thresholds));
  }
}
