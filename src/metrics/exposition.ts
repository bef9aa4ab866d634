// teamtop's state and alerts as Prometheus / OpenMetrics metrics, for `check --format openmetrics`
// (node_exporter's textfile collector) and `serve` (a scrape endpoint). prom-client formats and
// escapes; label values come from untrusted files, so their control characters are first made
// visible (label()): a hostile id can neither add a line nor a label, nor pass for another id.
import { Gauge, Registry, type RegistryContentType } from 'prom-client';
import type { Alert } from '../alerts/types.js';
import { isAcked } from '../alerts/acks.js';
import type { DetectorFailure } from '../alerts/index.js';
import type { TeamSnapshot } from '../model/snapshot.js';
import { TASK_STATUSES } from '../model/types.js';
import { createHash } from 'node:crypto';
import { revealExact } from '../safety/sanitize.js';

/** One team as the exporter sees it: its snapshot, its open alerts, its failed detectors. */
export interface TeamState {
  team: TeamSnapshot;
  alerts: readonly Alert[];
  failures: readonly DetectorFailure[];
}

/**
 * A label value from a file: one line, its control characters shown (␛, ␊, \x85, <U+202E>) rather
 * than dropped, so that two ids differing only in them stay two series; a long one is cut with a
 * hash of the whole, so that two long ids with the same start stay apart too.
 */
export function label(s: string | null | undefined): string {
  const v = revealExact(s ?? '').replace(/\n/g, '␊');
  return v.length <= 200 ? v : `${v.slice(0, 180)}…${createHash('sha256').update(v).digest('hex').slice(0, 12)}`;
}

export class TeamtopMetrics {
  readonly registry: Registry<RegistryContentType>;
  private readonly alerts: Gauge;
  private readonly heartbeatAge: Gauge;
  private readonly contextRatio: Gauge;
  private readonly unacked: Gauge;
  private readonly tasks: Gauge;
  private readonly teamInfo: Gauge;
  private readonly failures: Gauge;
  private readonly stateErrors: Gauge;
  private readonly refreshed: Gauge;
  private readonly up: Gauge;
  /** Alert label sets reported before: a cleared one reads 0 rather than vanishing. */
  private readonly seenAlerts = new Map<string, Record<string, string>>();

  constructor(openMetrics = true) {
    this.registry = new Registry<RegistryContentType>();
    this.registry.setContentType(openMetrics ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE);
    const gauge = (name: string, help: string, labelNames: string[]): Gauge => new Gauge({ name, help, labelNames, registers: [this.registry] });
    this.alerts = gauge('teamtop_alerts', 'Open teamtop alerts, by team, kind and severity (0 once cleared)', ['team', 'kind', 'severity']);
    this.heartbeatAge = gauge('teamtop_teammate_heartbeat_age_seconds', 'Seconds since the teammate\'s last heartbeat or activity', ['team', 'teammate']);
    this.contextRatio = gauge('teamtop_teammate_context_ratio', 'Share of the context window the teammate has used (0-1), where known', ['team', 'teammate']);
    this.unacked = gauge('teamtop_messages_unacked', 'Messages to the teammate still waiting for their answer (ack, read, delivery)', ['team', 'teammate']);
    this.tasks = gauge('teamtop_tasks', 'Tasks by status', ['team', 'status']);
    this.teamInfo = gauge('teamtop_team_info', 'One per team: its format and status', ['team', 'source', 'status']);
    this.failures = gauge('teamtop_detector_failures', 'Detectors that failed on the team at the last refresh (1 each)', ['team', 'detector']);
    this.stateErrors = gauge('teamtop_state_errors', 'Files or lines of the team that could not be read at the last refresh', ['team']);
    this.refreshed = gauge('teamtop_last_refresh_timestamp_seconds', 'When the exporter last evaluated the state (Unix time)', []);
    this.up = gauge('teamtop_up', 'Whether the state root could be read at the last attempt (1) or not (0)', []);
    this.up.set(1);
  }

  /**
   * Whether the state root can be read. While it cannot, the last values stay (an outage must not
   * resolve an alert) and teamtop_up says they are stale.
   */
  setUp(ok: boolean): void {
    this.up.set(ok ? 1 : 0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every value as of `now`, from the teams' current state. */
  update(teams: readonly TeamState[], now: number): void {
    for (const g of [this.heartbeatAge, this.contextRatio, this.unacked, this.tasks, this.teamInfo, this.failures, this.stateErrors]) g.reset();
    const open = new Map<string, { labels: Record<string, string>; n: number }>();
    for (const { team, alerts, failures } of teams) {
      const t = label(team.id);
      this.teamInfo.set({ team: t, source: label(team.source), status: label(team.info.status ?? (team.endedAt != null ? 'ended' : 'unknown')) }, 1);
      for (const a of alerts) {
        // Acknowledged (and unchanged since) is hidden in the TUI: not open here either.
        if (isAcked(a, team.acks)) continue;
        const labels = { team: t, kind: label(a.kind), severity: a.severity };
        const key = JSON.stringify(labels);
        const cur = open.get(key);
        if (cur) cur.n++;
        else open.set(key, { labels, n: 1 });
      }
      for (const m of team.teammates) {
        const tm = { team: t, teammate: label(m.id) };
        if (m.lastHeartbeat !== null && !m.activeNow) this.heartbeatAge.set(tm, Math.max(0, (now - m.lastHeartbeat) / 1000));
        if (m.contextUsed !== null && m.contextMax) this.contextRatio.set(tm, m.contextUsed / m.contextMax);
        this.unacked.set(tm, team.mailbox.aggregates.unacked.get(m.id)?.length ?? 0);
      }
      const byStatus = new Map(TASK_STATUSES.map((s) => [s as string, 0]));
      for (const task of team.tasks) byStatus.set(task.status, (byStatus.get(task.status) ?? 0) + 1);
      if (team.tasks.length > 0 || !team.unavailable?.tasks) for (const [status, n] of byStatus) this.tasks.set({ team: t, status }, n);
      for (const f of failures) this.failures.set({ team: t, detector: label(f.detector) }, 1);
      this.stateErrors.set({ team: t }, team.errors.length);
    }
    for (const [key, labels] of this.seenAlerts) if (!open.has(key)) this.alerts.set(labels, 0);
    for (const [key, { labels, n }] of open) {
      this.alerts.set(labels, n);
      this.seenAlerts.set(key, labels);
    }
    this.refreshed.set(Math.floor(now / 1000));
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
