// The detector registry: every detector is a pure function (team, now, thresholds) -> alerts.
import type { TeamSnapshot } from '../model/types.js';
import type { Thresholds } from './config.js';
import { sortAlerts, type Alert, type Detector } from './types.js';
import { heartbeat } from './detectors/heartbeat.js';
import { context } from './detectors/context.js';
import { invalidState } from './detectors/invalid-state.js';

export const DETECTORS: ReadonlyArray<{ name: string; kinds: string[]; run: Detector }> = [
  { name: 'heartbeat', kinds: ['teammate-idle', 'teammate-stale', 'teammate-dead'], run: heartbeat },
  { name: 'context', kinds: ['context-exhausted', 'context-high'], run: context },
  { name: 'invalid-state', kinds: ['invalid-state'], run: invalidState },
];

export const ALERT_KINDS: readonly string[] = DETECTORS.flatMap((d) => d.kinds);

export function detect(team: TeamSnapshot, now: number, thresholds: Thresholds): Alert[] {
  const out: Alert[] = [];
  for (const d of DETECTORS) out.push(...d.run({ team, now, thresholds }));
  return sortAlerts(out);
}
