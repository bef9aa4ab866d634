// A bounded soak: 20 s at 20 updates/s (mailbox appends and teammates.json rewrites) against the
// real program. Memory must not grow out of proportion, and handle and listener counts must not
// grow at all. Absolute figures (RSS, idle CPU) depend on the machine and its load: they are
// measured by `npm run bench`, not asserted here.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './helpers/cli.js';
import { TmuxSession, hasTmux, cleanUpAfterEach } from './helpers/tmux.js';
import { tempDir, writeTeam, iso } from './helpers/state.js';

if (!hasTmux()) throw new Error('tmux is required for the end-to-end tests (.ci/run installs it)');

const UPDATE_S = Number(process.env.SOAK_SECONDS ?? 20);
const RATE = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let session: TmuxSession | null = null;
let root: string | null = null;
let statsDir: string | null = null;
cleanUpAfterEach(afterEach, () => [root, statsDir]);

interface Sample { t: number; pid: number; rss: number; heapUsed: number; resources: Record<string, number>; listeners: Record<string, number> }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Waits until the program has written a sample taken after `t`. */
async function waitForSamples(stats: string, t: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const last = readFileSync(stats, 'utf8').trim().split('\n').at(-1);
    if (last && (JSON.parse(last) as Sample).t > t) return;
    await sleep(100);
  }
  throw new Error(`no sample after the updates in ${stats}`);
}

describe('soak', () => {
  it(`${UPDATE_S} s at ${RATE} updates/s: memory does not grow by half, no growing handles or listeners`, async () => {
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
    // Each sample follows a full collection (--expose-gc, TEAMTOP_STATS_GC): heapUsed is then what
    // the program keeps alive, not how much garbage happened to await the collector at that moment.
    session.start([process.execPath, '--expose-gc', BIN, '--root', root, '--no-bell'], 120, 40, { TEAMTOP_STATS: stats, TEAMTOP_STATS_GC: '1' });
    await session.waitFor((s) => s.includes('3 Mailbox (1)'));

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

    // One more sample after the last change (the program writes one a second).
    await waitForSamples(stats, updatesEnded);

    expect(existsSync(stats)).toBe(true);
    const samples = readFileSync(stats, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Sample);
    const t0 = samples[0]!.t;
    // Warm-up excluded: compare the 5–15 s window with the last samples of the update phase.
    const early = samples.filter((s) => s.t - t0 >= 5_000 && s.t - t0 < 15_000);
    const late = samples.filter((s) => s.t <= updatesEnded && s.t >= updatesEnded - 10_000);
    expect(early.length).toBeGreaterThan(2);
    expect(late.length).toBeGreaterThan(2);
    // Samples follow a collection, so the lowest of each window is what the program retains.
    const heapGrowthMb = (Math.min(...late.map((s) => s.heapUsed)) - Math.min(...early.map((s) => s.heapUsed))) / 2 ** 20;
    const growthMb = (median(late.map((s) => s.rss)) - median(early.map((s) => s.rss))) / 2 ** 20;
    const earlyRss = median(early.map((s) => s.rss)) / 2 ** 20;
    const earlyHeap = Math.min(...early.map((s) => s.heapUsed)) / 2 ** 20;
    console.log(`soak: ${i} updates, RSS ${Math.round(earlyRss)} → ${Math.round(earlyRss + growthMb)} MB (growth ${growthMb.toFixed(1)} MB; heap ${earlyHeap.toFixed(1)} → ${(earlyHeap + heapGrowthMb).toFixed(1)} MB)`);
    // A leak grows with the number of updates; the heap's sawtooth and the allocator's slack do not.
    expect(heapGrowthMb).toBeLessThan(earlyHeap / 2);
    expect(growthMb).toBeLessThan(earlyRss / 2);

    // Listener counts: identical from start to end.
    const last = samples[samples.length - 1]!;
    expect(last.listeners).toEqual(early[0]!.listeners);
    // Handles: no kind of handle grows (timers, watchers, file handles...).
    for (const [kind, n] of Object.entries(last.resources)) {
      expect(n, `${kind}: ${early[0]!.resources[kind] ?? 0} → ${n}`).toBeLessThanOrEqual((early[0]!.resources[kind] ?? 0) + 1);
    }
    // Still running, still showing every message.
    expect(session.capture()).toContain(`3 Mailbox (${seq})`);
  }, (UPDATE_S + 100) * 1000);
});
