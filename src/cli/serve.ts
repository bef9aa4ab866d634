// `teamtop serve`: a long-running Prometheus exporter. /metrics is kept current by the same source
// and alert engine as the TUI (a scrape only serializes what is there; it never re-reads the
// state); /healthz says whether the state root can be read. Read-only and unauthenticated: it
// serves no action, and binds a non-loopback address only when told to.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { TeamtopMetrics } from '../metrics/exposition.js';
import { sanitize } from '../safety/sanitize.js';
import { UsageError } from './errors.js';
import { LiveState, type LiveStatus } from './live.js';
import { SOURCE_OPTIONS, sourceUsage } from './source-opts.js';
import { checkTeamExists } from './open.js';

export const DEFAULT_LISTEN = '127.0.0.1:9464';

export const SERVE_USAGE = `usage: teamtop serve [--listen HOST:PORT] [--root DIR | DIR] [--team ID] [--config FILE]

A Prometheus exporter: /metrics (OpenMetrics text) and /healthz, kept current as the state changes.
Read-only and unauthenticated: it serves no action. docs/prometheus/ has alerting rules, their
tests, an Alertmanager route and a scrape configuration.

  --listen HOST:PORT  where to listen (default ${DEFAULT_LISTEN}; [::1]:PORT for IPv6). An address other
                      than loopback is bound only when given here
  --team ID           one team only
  --config FILE       detector thresholds (default: DIR/teamtop.config.json when present)
${sourceUsage({ positional: true, repo: null, baseRef: null })}

Metrics: teamtop_alerts{team,kind,severity}, teamtop_teammate_heartbeat_age_seconds{team,teammate},
teamtop_teammate_context_ratio{team,teammate}, teamtop_messages_unacked{team,teammate},
teamtop_tasks{team,status}, teamtop_team_info{team,source,status}, teamtop_detector_failures{team,detector},
teamtop_state_errors{team}, teamtop_last_refresh_timestamp_seconds, teamtop_up.`;

/** HOST:PORT, [IPv6]:PORT or PORT (loopback). */
export function parseListen(s: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(s) ?? (/^\d{1,5}$/.test(s) ? [s, undefined, '127.0.0.1', s] : null);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new UsageError(`--listen is HOST:PORT (e.g. ${DEFAULT_LISTEN}), not ${JSON.stringify(s)}`);
  const host = m[1] ?? m[2]!;
  if (m[1] !== undefined && isIP(host) !== 6) throw new UsageError(`--listen: ${JSON.stringify(host)} is not an IPv6 address`);
  return { host, port };
}

const isLoopback = (host: string): boolean => host === 'localhost' || /^(?:::ffff:)?127\./i.test(host) || host === '::1';

export async function runServe(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { ...SOURCE_OPTIONS, listen: { type: 'string' }, team: { type: 'string' }, config: { type: 'string' } },
  });
  if (positionals.length > 1) throw new UsageError(`unexpected argument: ${positionals[1]}`);
  if (positionals.length && (values.root || values['claude-dir'])) throw new UsageError(`unexpected argument: ${positionals[0]} (the root is given by --root)`);
  const { host, port } = parseListen(values.listen ?? DEFAULT_LISTEN);
  await checkTeamExists({ ...values, positional: positionals[0] });
  const metrics = new TeamtopMetrics(true);
  let health: LiveStatus | null = null;
  const live = new LiveState({ ...values, positional: positionals[0] }, (teams, now) => metrics.update(teams, now), (s) => {
    health = s;
    metrics.setUp(s.ok);
    process.stderr.write(s.ok ? `teamtop serve: reading ${sanitize(s.root)}\n` : `teamtop serve: state unavailable: ${sanitize(s.error)}\n`);
  });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('read-only: GET /metrics or /healthz\n');
      return;
    }
    if (path === '/metrics') {
      void metrics.text().then((text) => res.writeHead(200, { 'content-type': metrics.contentType }).end(req.method === 'HEAD' ? undefined : text),
        (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${e.message}\n`));
    } else if (path === '/healthz') {
      const h = health as LiveStatus | null;
      const ok = h?.ok === true;
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok\n' : `unavailable: ${h && !h.ok ? sanitize(h.error) : 'starting'}\n`);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('teamtop serve: GET /metrics or /healthz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`--listen ${host}:${port}: ${e.code === 'EADDRINUSE' ? 'the address is in use' : e.message}`)));
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? `${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}` : `${host}:${port}`;
  process.stdout.write(`teamtop serve: http://${bound}/metrics and /healthz — unauthenticated and read-only (no action is served)${isLoopback(host) ? '' : '; listening beyond this machine'}\n`);
  await live.start();
  return new Promise<number>((resolve) => {
    const finish = (): void => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      server.close();
      server.closeAllConnections();
      void live.stop().then(() => resolve(0));
    };
    process.on('SIGINT', finish);
    process.on('SIGTERM', finish);
  });
}
