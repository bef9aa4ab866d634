// A bounded soak: 60 s at 20 updates/s (mailbox appends and teammates.json rewrites) against the
// real program, then 15 s of quiet. Memory must not grow, handle and listener counts must not
// grow, and the process must be near idle when nothing changes.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './helpers/cli.js';
import { TmuxSession, hasTmux } from './helpers/tmux.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';

if (!hasTmux()) throw new Error('tmux is required for the end-to-end tests (.ci/run installs it)');

const UPDATE_S = Number(process.env.SOAK_SECONDS ?? 60);
const RATE = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let session: TmuxSession | null = null;
let root: string | null = null;
let statsDir: string | null = null;
afterEach(() => {
  session?.kill();
  if (root) removeDir(root);
  if (statsDir) removeDir(statsDir);
});

interface Sample { t: number; pid: number; rss: number; heapUsed: number; resources: Record<string, number>; listeners: Record<string, number> }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]);
}

describe('soak', () => {
  it(`${UPDATE_S} s at ${RATE} updates/s: no memory growth over 20 MB, no growing handles or listeners, near-zero idle CPU`, async () => {
    root = tempDir();
    const now = Date.now();
    const dir = writeTeam(root, 'soak', {
      team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
      teammates: [{ id: 'tm_a', last_heartbeat: iso(now - 180_000), messages_pending: 0 }, { id: 'tm_b', last_heartbeat: iso(now - 180_000) }],
      manifest: [{ id: 'T1', assigned_to: 'tm_a', status: 'in_progress', deliverables: [{ text: 'x', done: false }], updated_at: iso(now) }],
      mailbox: [{ sequence: 1, timestamp: iso(now - 180_000), from: 'lead', to: 'tm_a', type: 'message', payload: 'start' }],
    });
    // Outside the state root: a file written there is a change teamtop would watch.
    statsDir = tempDir('teamtop-stats-');
    const stats = join(statsDir, 'stats.jsonl');
    session = new TmuxSession('soak');
    session.start([process.execPath, BIN, '--root', root, '--no-bell'], 120, 40, { TEAMTOP_STATS: stats });
    await session.waitFor((s) => s.includes('3 Mailbox (1)'));
    const pid = Number(readFileSync(stats, 'utf8').split('\n')[0] ? JSON.parse(readFileSync(stats, 'utf8').split('\n')[0]!).pid : 0);

    // The updates: every 50 ms, alternately a message and a teammates.json rewrite. Heartbeats are
    // a few minutes old, so ages show in minutes and the quiet phase really has nothing to redraw
    // (an age under a minute ticks on screen every second, which is a change, not idleness).
    const old = (): string => new Date(Date.now() - 3 * 60_000).toISOString();
    let seq = 1;
    const end = Date.now() + UPDATE_S * 1000;
    let i = 0;
    while (Date.now() < end) {
      if (i % 2 === 0) {
        seq++;
        appendFileSync(join(dir, 'mailbox.jsonl'), JSON.stringify({ sequence: seq, timestamp: old(), from: 'tm_a', to: 'lead', type: 'message', payload: `update ${seq} ${'x'.repeat(seq % 200)}` }) + '\n');
      } else {
        writeFileSync(join(dir, 'teammates.json'), JSON.stringify([{ id: 'tm_a', last_heartbeat: old(), messages_pending: i % 4 }, { id: 'tm_b', last_heartbeat: old() }]));
      }
      i++;
      await sleep(1000 / RATE);
    }
    await session.waitFor((s) => s.includes(`3 Mailbox (${seq})`), 10_000);
    const updatesEnded = Date.now();

    // Quiet: measure CPU over 15 s once the last change has settled (and the collector has dealt
    // with the burst's garbage).
    await sleep(Number(process.env.SOAK_SETTLE_MS ?? 5_000));
    const before = cpuTicks(pid);
    await sleep(15_000);
    const idleCpu = (cpuTicks(pid) - before) / 100 / 15 * 100;

    expect(existsSync(stats)).toBe(true);
    const samples = readFileSync(stats, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Sample);
    const t0 = samples[0]!.t;
    // Warm-up excluded: compare the 10–20 s window with the last samples of the update phase.
    const early = samples.filter((s) => s.t - t0 >= 10_000 && s.t - t0 < 20_000);
    const late = samples.filter((s) => s.t <= updatesEnded && s.t >= updatesEnded - 10_000);
    expect(early.length).toBeGreaterThan(2);
    expect(late.length).toBeGreaterThan(2);
    const heapGrowthMb = (median(late.map((s) => s.heapUsed)) - median(early.map((s) => s.heapUsed))) / 2 ** 20;
    const growthMb = (median(late.map((s) => s.rss)) - median(early.map((s) => s.rss))) / 2 ** 20;
    console.log(`soak: ${i} updates, RSS ${Math.round(median(early.map((s) => s.rss)) / 2 ** 20)} → ${Math.round(median(late.map((s) => s.rss)) / 2 ** 20)} MB (growth ${growthMb.toFixed(1)} MB; heap ${heapGrowthMb.toFixed(1)} MB), idle CPU ${idleCpu.toFixed(2)} %`);
    expect(growthMb).toBeLessThan(20);

    // Listener counts: identical from start to end.
    const last = samples[samples.length - 1]!;
    expect(last.listeners).toEqual(early[0]!.listeners);
    // Handles: no kind of handle grows (timers, watchers, file handles...).
    for (const [kind, n] of Object.entries(last.resources)) {
      expect(n, `${kind}: ${early[0]!.resources[kind] ?? 0} → ${n}`).toBeLessThanOrEqual((early[0]!.resources[kind] ?? 0) + 1);
    }
    expect(idleCpu).toBeLessThan(2);
    // Still running, still showing every message.
    expect(session.capture()).toContain(`3 Mailbox (${seq})`);
  }, (UPDATE_S + 100) * 1000);
});
