// Detector time on a large team: all detectors over 1,000 teammates, 10,000 tasks, 30,000
// dependency edges and a 100,000-line mailbox, after load. Usable alone:
//   node bench/detectors.js
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from '../scripts/build.mjs';
import { writeLargeTeam } from './fixtures.js';
import { percentile, round } from './lib.js';

/** The internal modules the bench calls, bundled from the sources as the program is. */
async function internals(dir) {
  const entries = ['src/sources/native/source.ts', 'src/alerts/index.ts', 'src/model/thresholds.ts', 'src/model/memo.ts'];
  await build(bundleOptions(entries, dir));
  const at = (p) => pathToFileURL(join(dir, p)).href;
  return {
    ...(await import(at('sources/native/source.js'))),
    ...(await import(at('alerts/index.js'))),
    ...(await import(at('model/thresholds.js'))),
    ...(await import(at('model/memo.js'))),
  };
}

export async function benchDetectors({ runs = 30 } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'teamtop-bench-det-'));
  try {
    const { NativeSource, detect, DETECTORS, DetectorCache, DEFAULT_THRESHOLDS, forgetAll } = await internals(join(root, 'bundle'));
    const now = Date.now();
    await writeLargeTeam(join(root, 'large'), { now });
    const source = new NativeSource(root);
    const t0 = performance.now();
    await source.load();
    const loadMs = performance.now() - t0;
    const team = source.getSnapshot().teams[0];
    const edges = team.tasks.reduce((n, t) => n + t.dependsOn.length, 0);
    detect(team, now, DEFAULT_THRESHOLDS); // warm up
    const times = [];
    let alerts = [];
    for (let i = 0; i < runs; i++) {
      forgetAll(); // from scratch: nothing remembered from the last run
      const s = performance.now();
      alerts = detect(team, now, DEFAULT_THRESHOLDS);
      times.push(performance.now() - s);
    }
    // The live engine's steady state: the same snapshot, a new tick.
    const cache = new DetectorCache();
    cache.detect(team, now, DEFAULT_THRESHOLDS);
    const ticks = [];
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      cache.detect(team, now + i * 1000, DEFAULT_THRESHOLDS);
      ticks.push(performance.now() - s);
    }
    // The live engine after a change to one file: a new snapshot in which that file's part is a
    // new object and everything else is what it was (as the sources build them). In turn: a
    // mailbox append, a teammates.json rewrite, a team-manifest.json rewrite in which one task was
    // updated (every task a new object, as a re-parse makes them), and one in which a task was
    // completed (the dependency graph changes: the cycle search runs again).
    const KINDS = ['mailbox', 'teammates', 'manifest', 'completion'];
    const changes = Object.fromEntries(KINDS.map((k) => [k, []]));
    let snap = team;
    const open = team.tasks.map((t, i) => [t, i]).filter(([t]) => t.status === 'in_progress' || t.status === 'pending').map(([, i]) => i);
    for (let i = 0; i < runs * KINDS.length; i++) {
      const kind = KINDS[i % KINDS.length];
      const at = now + i * 1000;
      if (kind === 'mailbox') snap = { ...snap, version: snap.version + 1, mailbox: { ...snap.mailbox, aggregates: { ...snap.mailbox.aggregates } } };
      else if (kind === 'teammates') snap = { ...snap, version: snap.version + 1, teammates: snap.teammates.map((t) => ({ ...t })) };
      else {
        const k = open[(i * 7919) % open.length];
        snap = {
          ...snap, version: snap.version + 1,
          tasks: snap.tasks.map((t, j) => (j !== k ? { ...t } : kind === 'manifest' ? { ...t, updatedAt: at } : { ...t, status: 'completed', completedAt: at })),
        };
      }
      const s = performance.now();
      cache.detect(snap, at, DEFAULT_THRESHOLDS);
      changes[kind].push(performance.now() - s);
    }
    const all = Object.values(changes).flat();
    const per = {};
    for (const d of DETECTORS) {
      const s = performance.now();
      for (let i = 0; i < 5; i++) {
        forgetAll();
        d.run({ team, now, thresholds: DEFAULT_THRESHOLDS });
      }
      per[d.name] = round((performance.now() - s) / 5, 2);
    }
    await source.close();
    return {
      teammates: team.teammates.length, tasks: team.tasks.length, edges, messages: team.mailbox.aggregates.total,
      loadMs: round(loadMs), p50: round(percentile(times, 50), 2), p95: round(percentile(times, 95), 2),
      tickP50: round(percentile(ticks, 50), 2), alerts: alerts.length, per,
      changeP50: round(percentile(all, 50), 2), changeP95: round(percentile(all, 95), 2),
      byChange: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, { p50: round(percentile(v, 50), 2), p95: round(percentile(v, 95), 2) }])),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchDetectors();
  console.log(JSON.stringify(r, null, 2));
}
