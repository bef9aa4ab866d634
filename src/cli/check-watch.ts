// `teamtop check --watch --jsonl`: one JSON line per alert transition, for log shippers (Vector,
// Fluent Bit) and `jq`. Each line is written as it happens (one write per line). On start every
// open alert is one "raised" line; then "raised", "cleared" and "acked" as they happen (an alert
// whose acknowledgement stops holding, its facts having changed, is "raised" with "reopened"). The root
// may disappear and come back: that is said ("source-unavailable", "source-restored") and the
// alerts known before are compared with the ones after, so nothing is cleared by the outage alone.
import type { Alert } from '../alerts/types.js';
import { isAcked } from '../alerts/acks.js';
import type { TeamSnapshot } from '../model/snapshot.js';
import { safeJson } from '../safety/sanitize.js';
import { LiveState, type LiveOptions, type LiveStatus } from './live.js';
import type { TeamState } from '../metrics/exposition.js';

type Known = Map<string, Map<string, { alert: Alert; acked: boolean }>>;

/** The transitions from `known` to `teams` (and `known` updated to it), as JSON line objects. */
export function transitions(known: Known, teams: readonly TeamState[], now: number, only: readonly string[] | null): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const ts = new Date(now).toISOString();
  const line = (event: string, team: TeamSnapshot | string, a: Alert, more: Record<string, unknown> = {}): void => {
    out.push({
      ts, event, team: typeof team === 'string' ? team : team.id, id: a.id, kind: a.kind, severity: a.severity,
      summary: a.summary, subject: a.subject, ...more,
    });
  };
  const present = new Set<string>();
  for (const { team, alerts } of teams) {
    present.add(team.id);
    const before = known.get(team.id) ?? new Map<string, { alert: Alert; acked: boolean }>();
    const after = new Map<string, { alert: Alert; acked: boolean }>();
    for (const a of alerts) {
      if (only && !only.includes(a.kind)) continue;
      const acked = isAcked(a, team.acks);
      const prev = before.get(a.id);
      if (!prev) line('raised', team, a, { acked });
      else if (acked && !prev.acked) line('acked', team, a);
      // An acknowledgement stops holding when the alert's facts change: it is open again.
      else if (!acked && prev.acked) line('raised', team, a, { acked: false, reopened: true });
      after.set(a.id, { alert: a, acked });
    }
    for (const [id, prev] of before) if (!after.has(id)) line('cleared', team, prev.alert);
    known.set(team.id, after);
  }
  // A team gone while its root is there (its directory removed): its alerts are cleared with it.
  for (const [id, m] of known) {
    if (present.has(id)) continue;
    for (const p of m.values()) line('cleared', id, p.alert);
    known.delete(id);
  }
  return out;
}

export async function watchAlerts(opts: LiveOptions, only: readonly string[] | null, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const known: Known = new Map();
  let wasDown = false;
  const write = (o: Record<string, unknown>): void => { process.stdout.write(safeJson(o) + '\n'); };
  const live = new LiveState(opts, (teams, now) => {
    for (const l of transitions(known, teams, now, only)) write(l);
  }, (s: LiveStatus) => {
    const ts = new Date().toISOString();
    if (!s.ok) { wasDown = true; write({ ts, event: 'source-unavailable', root: s.root, error: s.error }); }
    else if (wasDown) { wasDown = false; write({ ts, event: 'source-restored', root: s.root }); }
  }, env);
  return new Promise<number>((resolve) => {
    const finish = (): void => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      void live.stop().then(() => resolve(0));
    };
    process.on('SIGINT', finish);
    process.on('SIGTERM', finish);
    // A reader that went away (`| head`) ends the watch quietly.
    process.stdout.on('error', finish);
    void live.start();
  });
}
