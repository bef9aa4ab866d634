// `teamtop serve`: scraped over HTTP. /metrics follows the state without a re-read per scrape,
// /healthz says whether the root can be read, nothing but GET is served, and the startup line says
// the endpoint is unauthenticated and read-only.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parseListen } from '../src/cli/serve.js';
import { PROJECT, runCli } from './helpers/cli.js';
import { Running } from './helpers/proc.js';
import { removeDir, tempDir } from './helpers/state.js';
import { promtoolCheckMetrics, requirePrometheus, samples } from './helpers/prometheus.js';

requirePrometheus();

let root: string | null = null;
let run: Running | null = null;
afterEach(async () => {
  await run?.stop();
  run = null;
  if (root) removeDir(root);
  root = null;
});

/** Starts serve on a free port; resolves with its base URL. */
async function serve(args: string[]): Promise<string> {
  run = new Running(['serve', '--listen', '127.0.0.1:0', ...args]);
  await run.until((out) => /http:\/\/127\.0\.0\.1:\d+\/metrics/.test(out), 'the startup line');
  return /(http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(run.stdout)![1]!;
}

const cycle = async (base: string): Promise<number | undefined> => {
  const s = samples(await (await fetch(`${base}/metrics`)).text());
  return s.find((x) => x.name === 'teamtop_alerts' && x.labels.kind === 'dependency-cycle')?.value;
};

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const end = Date.now() + 15_000;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${String(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('teamtop serve', () => {
  it('serves the state as OpenMetrics, follows a break-cycle, and says when the root is gone', async () => {
    root = tempDir('teamtop-serve-');
    cpSync(join(PROJECT, 'demo-state', 'beta-cycle'), join(root, 'beta-cycle'), { recursive: true });
    const base = await serve(['--root', root]);
    expect(run!.stdout).toContain('unauthenticated and read-only (no action is served)');
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/openmetrics-text');
    const text = await res.text();
    expect(promtoolCheckMetrics(text).status).toBe(0);
    await until(() => cycle(base), (v) => v === 1, 'the cycle');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(runCli(['act', 'break-cycle', '--root', root, '--team', 'beta-cycle', '--yes']).status).toBe(0);
    await until(() => cycle(base), (v) => v === 0, 'the cycle cleared');
    renameSync(root, `${root}.away`);
    const down = await until(() => fetch(`${base}/healthz`), (r) => r.status === 503, 'healthz 503');
    expect(await down.text()).toMatch(/^unavailable: /);
    const s = samples(await (await fetch(`${base}/metrics`)).text());
    expect(s.find((x) => x.name === 'teamtop_up')?.value).toBe(0);
    // The last values stay through the outage: an outage resolves no alert.
    expect(s.find((x) => x.name === 'teamtop_alerts' && x.labels.kind === 'sequence-gap')?.value).toBe(1);
    renameSync(`${root}.away`, root);
    await until(() => fetch(`${base}/healthz`), (r) => r.status === 200, 'healthz 200 again');
    expect(await run!.stop()).toBe(0);
  }, 60_000);

  it('serves nothing but GET of /metrics and /healthz', async () => {
    const base = await serve(['--root', join(PROJECT, 'demo-state')]);
    expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/actions`)).status).toBe(404);
  });

  it('--listen takes HOST:PORT, [IPv6]:PORT or a port; anything else is a usage error', () => {
    expect(parseListen('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListen('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseListen('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(() => parseListen('localhost')).toThrow(/HOST:PORT/);
    expect(() => parseListen('0.0.0.0:99999')).toThrow(/HOST:PORT/);
    expect(runCli(['serve', '--listen', 'nowhere']).status).toBe(2);
  });

  it('an unknown --team, or a root given twice, is a usage error at start', () => {
    const demo = join(PROJECT, 'demo-state');
    expect(runCli(['serve', '--listen', '127.0.0.1:0', '--root', demo, '--team', 'nope'])).toMatchObject({ status: 2, stderr: expect.stringContaining('no team "nope"') });
    expect(runCli(['check', '--watch', '--jsonl', '--root', demo, '--team', 'nope']).status).toBe(2);
    expect(runCli(['check', '--root', demo, 'extra']).stderr).toContain('unexpected argument: extra (the root is given by --root)');
  });
});
