// `teamtop check`: the detectors, headless. For scripts and agent hooks: text or JSON, and an exit
// code (0: nothing high or critical, 1: something is, 2: usage error, unreadable root, or a
// detector that failed — a hook must never pass because a detector could not look).
import { parseArgs } from 'node:util';
import { ALERT_KINDS, unavailableDetectors, type DetectorFailure } from '../alerts/index.js';
import { safeDetect } from '../alerts/engine.js';
import type { Alert } from '../alerts/types.js';
import { safeJson, sanitize, shownId } from '../safety/sanitize.js';
import { UsageError } from './errors.js';
import { checkTeamExists, openRoot } from './open.js';
import { rm } from 'node:fs/promises';
import { prepareDemo } from '../demo/prepare.js';
import { demoEnv, demoRoot, SOURCE_OPTIONS, sourceUsage } from './source-opts.js';
import { SEVERITY_LABEL } from '../model/types.js';
import { isQuietTeam } from '../model/snapshot.js';
import { TeamtopMetrics } from '../metrics/exposition.js';
import { watchAlerts } from './check-watch.js';
import { parseIsoTime } from '../model/time.js';

export const CHECK_USAGE = `usage: teamtop check [--root DIR | DIR | --demo] [--team ID] [--format text|json|openmetrics] [--only KIND[,KIND…]] [--at ISO] [--config FILE]
       teamtop check --watch --jsonl [--root DIR | DIR] [--team ID] [--only KIND[,KIND…]] [--config FILE]

Runs every detector once and prints the alerts, grouped by team.
Exit code: 0 when no alert is high or critical, 1 when one is, 2 on usage errors, an unreadable root,
a team directory that cannot be read (no permission to list it, a symbolic link to one, a name that
is not UTF-8; with --team naming another team, or with --only, that is a warning on stderr instead),
or a detector that failed (each is named on stderr, one line each; every other alert is still printed).

  --format json   (or --json) {"teams":[{"team_id":…,"alerts":[{id,kind,severity,subject,summary,evidence,since,workflow}]}]}
                  with "failures":[{team_id,detector,kinds,error}] (top level and per team) when a detector failed
                  and "root_errors":[{file,message}] when part of the root could not be read
  --format openmetrics  the Prometheus / OpenMetrics text format (for node_exporter's textfile
                  collector): teamtop_alerts{team,kind,severity} and the team gauges of \`teamtop serve\`
  --watch --jsonl  keep running; one JSON line per alert transition, flushed as it happens:
                  {"ts","event":"raised"|"cleared"|"acked","team","id","kind","severity","summary","subject"};
                  the root may disappear and come back ("event":"source-unavailable" / "source-restored")
  --only KINDS    keep only these alert kinds (the exit code then follows them alone, and only the
                  detectors of these kinds can fail it)
  --at ISO        evaluate as of another time
  --team ID       one team only
  --config FILE   detector thresholds (default: DIR/teamtop.config.json when present)
  --demo          check the bundled sample teams (timestamps shifted to now)
${sourceUsage({ positional: true, repo: null, baseRef: null })}

Kinds: ${ALERT_KINDS.join(', ')}`;

export function alertJson(a: Alert): Record<string, unknown> {
  return {
    id: a.id, kind: a.kind, severity: a.severity, subject: a.subject, summary: a.summary, evidence: a.evidence,
    since: a.since === null ? null : new Date(a.since).toISOString(), workflow: a.workflow,
  };
}

export async function runCheck(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...SOURCE_OPTIONS, team: { type: 'string' }, json: { type: 'boolean' }, only: { type: 'string' },
      at: { type: 'string' }, config: { type: 'string' }, demo: { type: 'boolean' }, format: { type: 'string' },
      watch: { type: 'boolean' }, jsonl: { type: 'boolean' },
    },
  });
  const format = values.format ?? (values.json ? 'json' : 'text');
  if (!['text', 'json', 'openmetrics'].includes(format)) throw new UsageError(`--format is text, json or openmetrics, not ${JSON.stringify(values.format)}`);
  if (values.json && format !== 'json') throw new UsageError('--json is --format json: give one of them');
  if (values.demo && (values.root || positionals.length)) throw new UsageError('--demo runs on its own sample state: drop the root');
  if (positionals.length > 1) throw new UsageError(`unexpected argument: ${positionals[1]}`);
  if (positionals.length && (values.root || values['claude-dir'])) throw new UsageError(`unexpected argument: ${positionals[0]} (the root is given by --root)`);
  const only = values.only ? values.only.split(',').map((k) => k.trim()).filter(Boolean) : null;
  if (only) {
    const unknown = only.filter((k) => !ALERT_KINDS.includes(k));
    if (unknown.length) throw new UsageError(`unknown alert kind ${unknown.join(', ')} (kinds: ${ALERT_KINDS.join(', ')})`);
  }
  if (values.watch || values.jsonl) {
    if (!values.watch || !values.jsonl) throw new UsageError('--watch goes with --jsonl (one JSON line per alert transition)');
    if (values.format || values.json || values.at || values.demo) throw new UsageError('--watch --jsonl takes no --format, --json, --at or --demo');
    await checkTeamExists({ ...values, positional: positionals[0] });
    return watchAlerts({ ...values, positional: positionals[0] }, only);
  }
  const at = values.at === undefined ? null : parseIsoTime(values.at);
  if (at !== null && Number.isNaN(at)) throw new UsageError(`--at ${JSON.stringify(values.at)} is not an ISO 8601 time (a date that exists, 00:00–23:59)`);
  const demoDir = values.demo ? await prepareDemo() : null;
  let opened;
  try {
    opened = await openRoot({ ...values, root: demoDir ? demoRoot(values.source, demoDir) : values.root, positional: positionals[0] }, demoDir ? demoEnv(demoDir) : process.env);
    await opened.source.close();
  } finally {
    if (demoDir) await rm(demoDir, { recursive: true, force: true });
  }
  const { thresholds } = opened;
  // Teams that ended (their directory is gone; teamtop kept a copy) are history, not state to
  // check: listed in one line, checked only when asked for by name.
  const endedTeams = values.team ? [] : opened.teams.filter((t) => t.endedAt != null);
  const teams = opened.teams.filter((t) => !endedTeams.includes(t));
  // Taken after loading: the demo copy is shifted to the moment it was made.
  const now = at ?? Date.now();

  const report = teams.map((team) => {
    const d = safeDetect(team, now, thresholds);
    let alerts = d.alerts;
    let failures: DetectorFailure[] = d.failures;
    if (only) {
      alerts = alerts.filter((a) => only.includes(a.kind));
      // A detector that reports none of the kinds asked for hides nothing that was asked for.
      failures = failures.filter((f) => f.kinds.length === 0 || f.kinds.some((k) => only.includes(k)));
    }
    return { team, alerts, failures };
  });
  // An ended team's alerts are history (as of its end): shown, never the exit code of a check.
  const serious = report.some((r) => r.team.endedAt == null && r.alerts.some((a) => a.severity === 'critical' || a.severity === 'high'));
  // A team directory that cannot be read fails the check, unless the check is about another team
  // (--team) or about some kinds only (--only: a hook): then it is a warning, not its exit code.
  const aside = (e: { team?: string }): boolean => e.team !== undefined && ((values.team !== undefined && e.team !== values.team) || only !== null);
  const rootErrors = opened.rootErrors.filter((e) => !aside(e));
  const failed = report.some((r) => r.failures.length > 0) || rootErrors.length > 0;

  // Failures first, on stderr, one line each: what a hook's log shows even when stdout is parsed.
  for (const e of rootErrors) process.stderr.write(`teamtop check: ${sanitize(e.file)}: ${sanitize(e.message)}\n`);
  for (const e of opened.rootErrors.filter(aside)) process.stderr.write(`teamtop check: warning: ${sanitize(e.file)}: ${sanitize(e.message)}\n`);
  for (const r of report) {
    for (const f of r.failures) {
      process.stderr.write(`teamtop check: detector ${f.detector} failed on team ${shownId(r.team.id)}: ${sanitize(f.error)}\n`);
    }
  }

  if (format === 'openmetrics') {
    const metrics = new TeamtopMetrics(true);
    metrics.update(report.map((r) => ({ team: r.team, alerts: r.alerts, failures: r.failures })), now);
    process.stdout.write(await metrics.text());
  } else if (format === 'json') {
    const failureJson = (r: (typeof report)[number]) => r.failures.map((f) => ({ team_id: r.team.id, detector: f.detector, kinds: f.kinds, error: f.error }));
    const out: Record<string, unknown> = {
      teams: report.map((r) => ({
        team_id: r.team.id, alerts: r.alerts.map(alertJson), ...(r.failures.length ? { failures: failureJson(r) } : {}),
        ...(unavailableDetectors(r.team).length ? { unavailable: unavailableDetectors(r.team) } : {}),
      })),
    };
    if (report.some((r) => r.failures.length > 0)) out.failures = report.flatMap(failureJson);
    if (rootErrors.length) out.root_errors = rootErrors.map((e) => ({ file: e.file, message: e.message }));
    if (endedTeams.length) out.ended_teams = endedTeams.map((t) => ({ team_id: t.id, ended_at: t.endedAt ? new Date(t.endedAt).toISOString() : null }));
    process.stdout.write(safeJson(out, 2) + '\n');
  } else {
    const lines: string[] = [];
    // Teams with no teammates and nothing to report (a session that never started one) fold
    // into one line.
    const quiet = report.filter((r) => isQuietTeam(r.team) && r.alerts.length === 0 && r.failures.length === 0);
    for (const r of report) {
      if (quiet.length > 1 && quiet.includes(r)) continue;
      const ended = r.team.endedAt != null ? `ended, last seen ${new Date(r.team.endedAt).toISOString()}; alerts as of then` : null;
      const status = ended ? ` (${ended})` : r.team.info.status ? ` (${r.team.info.status})` : '';
      const failures = r.failures.length ? `; ${r.failures.length} detector${r.failures.length > 1 ? 's' : ''} failed (${r.failures.map((f) => f.detector).join(', ')})` : '';
      lines.push(`${shownId(r.team.id)}${status}: ${r.alerts.length === 0 ? 'no alerts' : `${r.alerts.length} alert${r.alerts.length > 1 ? 's' : ''}`}${failures}`);
      for (const a of r.alerts) lines.push(`  ${SEVERITY_LABEL[a.severity].padEnd(4)}  ${a.kind.padEnd(29)} ${sanitize(a.summary)}`);
      // Checks that cannot run on this team are said, never shown as clean.
      const off = unavailableDetectors(r.team).filter((u) => !only || u.kinds.some((k) => only.includes(k)));
      if (off.length) lines.push(`  n/a   ${off.flatMap((u) => u.kinds).join(', ')}: ${sanitize(off[0]!.reason)}`);
    }
    if (report.length === 0) lines.push(`no team under ${sanitize(opened.source.root)}`);
    if (quiet.length > 1) lines.push(`${quiet.length} quiet teams (no teammate, task or message yet): ${quiet.map((r) => shownId(r.team.id)).join(', ')} (no alerts)`);
    if (endedTeams.length) lines.push(`${endedTeams.length} ended team${endedTeams.length > 1 ? 's' : ''} kept by teamtop (not checked; --team ID checks one): ${endedTeams.map((t) => shownId(t.id)).join(', ')}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return failed ? 2 : serious ? 1 : 0;
}
