import type { Severity } from '../model/types.js';
import type { TeamSnapshot } from '../model/snapshot.js';
import type { ActionName } from '../ports/effects.js';
import type { Thresholds } from '../model/thresholds.js';

export interface Alert {
  /** Stable: kind + subject, so it can be tracked and acknowledged. */
  id: string;
  kind: string;
  severity: Severity;
  /** Teammate / task / message ids concerned, in a meaningful order. */
  subject: string[];
  summary: string;
  /** The facts that triggered it. */
  evidence: Record<string, unknown>;
  /**
   * What identifies the problem beyond its kind and subject: the facts that, when they change,
   * make it another problem (which sequences are missing, which heartbeat went quiet). Never ages
   * or counters that move by themselves. An acknowledgement holds while these and the severity
   * stay the same. Default: the whole evidence (for detectors whose evidence never moves).
   */
  material: Record<string, unknown>;
  /** When the condition began (epoch ms), when knowable. */
  since: number | null;
  /** When `since` is not knowable from the files: since when teamtop has seen it (the live engine sets it). */
  seenSince?: number;
  /** The recovery it suggests, in words. */
  workflow: string;
  /** Actions the TUI offers for it, first is the default. */
  actions: ActionName[];
}

export interface DetectorContext {
  team: TeamSnapshot;
  now: number;
  thresholds: Thresholds;
}

export type Detector = (ctx: DetectorContext) => Alert[];

export function alertId(kind: string, subject: readonly string[]): string {
  return subject.length === 0 ? kind : `${kind}:${subject.join(':')}`;
}

type AlertInput = Omit<Alert, 'id' | 'actions' | 'material'> & { actions?: ActionName[]; material?: Record<string, unknown> };

export function makeAlert(a: AlertInput): Alert {
  // Every alert has the same fields in the same order (one object shape): sorting thousands of
  // them on each tick then reads their fields at full speed.
  const alert: Alert = {
    id: alertId(a.kind, a.subject), kind: a.kind, severity: a.severity, subject: a.subject, summary: a.summary,
    evidence: a.evidence, material: a.material ?? a.evidence, since: a.since, workflow: a.workflow, actions: a.actions ?? [],
  };
  if (a.seenSince !== undefined) alert.seenSince = a.seenSince;
  return alert;
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** SEVERITY_RANK as comparisons (the sort's hot path: no keyed lookup). */
function rank(s: Severity): number {
  return s === 'critical' ? 0 : s === 'high' ? 1 : s === 'medium' ? 2 : 3;
}

/** The order of alerts: by severity, then oldest condition first, then id. */
export function compareAlerts(a: Alert, b: Alert): number {
  return rank(a.severity) - rank(b.severity)
    || (a.since ?? Infinity) - (b.since ?? Infinity)
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Sorted by severity, then oldest condition first. */
export function sortAlerts(alerts: Alert[]): Alert[] {
  return [...alerts].sort(compareAlerts);
}

/** Two lists already in alert order, as one list in that order (what sortAlerts of both gives). */
export function mergeSorted(a: readonly Alert[], b: readonly Alert[]): Alert[] {
  const out: Alert[] = new Array<Alert>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compareAlerts(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
