// Acknowledged alerts: `a` hides an alert until the problem changes. Acknowledgements persist in
// the team's records (alert-acks.json), keyed by alert id, holding a fingerprint of the alert's
// severity and material facts (Alert.material: which sequences are missing, which heartbeat went
// quiet — never ages or counters that move by themselves); a different fingerprint means the
// situation changed and the alert shows again.
import { createHash } from 'node:crypto';
import type { Alert } from './types.js';
import type { AckMap } from '../ports/acks.js';

// Recursive, but only as deep as an alert's evidence, whose shape the detectors fix (a few levels):
// it never descends into a value read from a state file.
function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])]));
  return v;
}

/** A short fingerprint of an alert's severity and material facts (key order does not matter). */
export function ackFingerprint(a: Pick<Alert, 'severity' | 'material'>): string {
  return createHash('sha256').update(JSON.stringify(stable({ s: a.severity, m: a.material }))).digest('hex').slice(0, 16);
}

export function isAcked(a: Alert, acks: AckMap): boolean {
  const f = acks.get(a.id);
  return f !== undefined && f === ackFingerprint(a);
}

/** Splits alerts into the ones to show and the acknowledged ones still hidden. */
export function partitionAcked(alerts: readonly Alert[], acks: AckMap): { shown: Alert[]; hidden: Alert[] } {
  const shown: Alert[] = [];
  const hidden: Alert[] = [];
  for (const a of alerts) (isAcked(a, acks) ? hidden : shown).push(a);
  return { shown, hidden };
}
