// A real Prometheus (Debian's package) scraping a real `teamtop serve` (its own ports: it runs among
// the parallel tests): it sees a team's
// dependency cycle, and sees it clear after `teamtop act break-cycle`; a hostile teammate id adds
// no series; and the shipped alerting rules pass promtool's checks and their unit tests.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PROJECT, runCli } from './helpers/cli.js';
import { Running } from './helpers/proc.js';
import { removeDir, tempDir } from './helpers/state.js';
import { promtool, requirePrometheus } from './helpers/prometheus.js';

requirePrometheus();

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const freePort = (): Promise<number> => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port;
    s.close(() => resolve(port));
  });
});

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined as T);
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** teamtop serve on `root` and a Prometheus scraping it every second; resolves with a query function. */
async function scraped(root: string): Promise<(q: string) => Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>> {
  const serve = new Running(['serve', '--listen', '127.0.0.1:0', '--root', root]);
  cleanups.push(() => serve.stop());
  await serve.until((out) => /127\.0\.0\.1:\d+\/metrics/.test(out), 'serve to listen');
  const target = /(127\.0\.0\.1:\d+)\/metrics/.exec(serve.stdout)![1]!;
  const dir = tempDir('teamtop-prometheus-');
  cleanups.push(() => removeDir(dir));
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: teamtop\n    static_configs:\n      - targets: ['${target}']\n`);
  const port = await freePort();
  const prom: ChildProcess = spawn('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: 'ignore' });
  cleanups.push(() => new Promise((r) => { prom.once('exit', r); prom.kill('SIGTERM'); }));
  return async (q: string) => {
    const r = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await r.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    return body.data.result;
  };
}

describe('Prometheus scraping teamtop serve', () => {
  it('sees the dependency cycle, then sees it clear after teamtop act break-cycle; a hostile id adds no series', async () => {
    const root = tempDir('teamtop-prom-root-');
    cleanups.push(() => removeDir(root));
    cpSync(join(PROJECT, 'demo-state', 'beta-cycle'), join(root, 'beta-cycle'), { recursive: true });
    // Another team whose first teammate's id tries to close its label set and start a series.
    cpSync(join(PROJECT, 'demo-state', 'gamma-healthy'), join(root, 'gamma-healthy'), { recursive: true });
    const file = join(root, 'gamma-healthy', 'teammates.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { teammates: Array<Record<string, unknown>> };
    doc.teammates[0]!.id = 'tm_x"} 1\nteamtop_injected{a="b';
    writeFileSync(file, JSON.stringify(doc));
    const query = await scraped(root);
    const cycle = 'teamtop_alerts{kind="dependency-cycle",team="beta-cycle",job="teamtop"}';
    await until(() => query(cycle), (r) => r?.[0]?.value[1] === '1', 'the cycle in Prometheus');
    const ages = await query('teamtop_teammate_heartbeat_age_seconds{job="teamtop",team="gamma-healthy"}');
    expect(ages.length).toBe(doc.teammates.length);
    expect(ages.map((a) => a.metric.teammate)).toContain('tm_x"} 1␊teamtop_injected{a="b');
    expect(await query('{__name__=~"teamtop_injected.*"}')).toEqual([]);
    expect(runCli(['act', 'break-cycle', '--root', root, '--team', 'beta-cycle', '--yes']).status).toBe(0);
    await until(() => query(cycle), (r) => r?.[0]?.value[1] === '0', 'the cycle cleared in Prometheus');
    expect((await query('up{job="teamtop"}'))[0]?.value[1]).toBe('1');
  }, 90_000);
});

describe('docs/prometheus', () => {
  it('its rules pass promtool check rules and their unit tests', () => {
    const dir = join(PROJECT, 'docs', 'prometheus');
    expect(promtool(['check', 'rules', 'teamtop.rules.yml'], dir)).toContain('SUCCESS: 6 rules found');
    expect(promtool(['test', 'rules', 'teamtop.rules.test.yml'], dir)).toContain('SUCCESS');
    expect(promtool(['check', 'config', 'prometheus.yml'], dir)).toContain('SUCCESS');
  });
});
