#!/usr/bin/env node
// npm run bench: measures the real program in tmux (its raw output piped to a file, so a frame's
// arrival is timed to the millisecond) and prints a table, also written to bench/results.json.
// Not a test: the figures depend on the machine. BENCH_ONLY=detectors,tui,large,idle runs parts.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, readFileSync, statSync, cpSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipedPane, percentile, round } from './lib.js';
import { benchDetectors } from './detectors.js';
import { writeMailbox } from './fixtures.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', 'bin', 'teamtop.js');
const FIXTURES = join(HERE, 'fixtures');
const STARTS = Number(process.env.BENCH_STARTS ?? 20);
const APPENDS = Number(process.env.BENCH_APPENDS ?? 200);
const LARGE = Number(process.env.BENCH_LARGE_LINES ?? 1_000_000);
const PANES = (t) => ['1 Teammates', '2 Tasks', '3 Mailbox', '4 Alerts'].every((p) => t.includes(p));
const COLS = Number(process.env.BENCH_COLS ?? 120);
const ROWS = Number(process.env.BENCH_ROWS ?? 40);

const work = mkdtempSync(join(tmpdir(), 'teamtop-bench-'));
const results = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: round(totalmem() / 2 ** 30), node: process.version },
  at: new Date().toISOString(), terminal: `${COLS}x${ROWS}`, figures: {},
};
const table = [];
const row = (name, value, unit, note = '') => { table.push({ name, value, unit, note }); results.figures[name] = { value, unit, note }; };
const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
const want = (name) => !only || only.includes(name);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A team root whose mailbox has `lines` lines (cached across runs for the large one). */
async function root(lines) {
  const cached = join(FIXTURES, `root-${lines}`);
  if (!existsSync(join(cached, 'bench-team', 'mailbox.jsonl'))) {
    mkdirSync(join(cached, 'bench-team'), { recursive: true });
    await writeMailbox(join(cached, 'bench-team', 'mailbox.jsonl'), lines, 2, Date.now(), undefined, 45);
  }
  // A fresh copy of everything but the mailbox (the mailbox is copied: appends must not grow the cache).
  const dir = mkdtempSync(join(work, `root${lines}-`));
  mkdirSync(join(dir, 'bench-team'));
  cpSync(join(cached, 'bench-team', 'mailbox.jsonl'), join(dir, 'bench-team', 'mailbox.jsonl'));
  // Heartbeats a few minutes old: ages show in minutes, so when nothing changes nothing on screen
  // changes either (an age under a minute redraws every second).
  const hb = new Date(Date.now() - 3 * 60_000).toISOString();
  writeFileSync(join(dir, 'bench-team', 'teammates.json'), JSON.stringify([{ id: 'tm_0', last_heartbeat: hb }, { id: 'tm_1', last_heartbeat: hb }]));
  writeFileSync(join(dir, 'bench-team', 'team-manifest.json'), JSON.stringify({ tasks: [{ id: 'T1', name: 'bench', assigned_to: 'tm_0', status: 'in_progress', deliverables: [{ text: 'x', done: false }] }] }));
  return dir;
}

async function firstFrame(argv, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const p = new PipedPane(`start${i}-${Math.random().toString(36).slice(2, 6)}`, work);
    p.prepare([process.execPath, BIN, ...argv], COLS, ROWS);
    const t0 = p.go();
    times.push((await p.waitFor(PANES)) - t0);
    p.kill();
  }
  return times;
}

/** Starts the program on `dir`, waits until the mailbox is indexed, then times `n` appends. */
async function appends(dir, lines, n) {
  const file = join(dir, 'bench-team', 'mailbox.jsonl');
  const p = new PipedPane(`append${lines}`, work);
  p.prepare([process.execPath, BIN, '--root', dir, '--no-bell'], COLS, ROWS, process.env.TEAMTOP_TRACE ? { TEAMTOP_TRACE: process.env.TEAMTOP_TRACE } : {});
  p.go();
  await p.waitFor(PANES);
  // Indexing done: the header shows the full count without "indexing".
  await p.waitFor((t) => t.includes(`${lines} msgs`) && !/indexing/.test(t.slice(t.lastIndexOf(`${lines} msgs`) - 50)), 120_000);
  const pid = p.pid();
  const times = [];
  for (let i = 0; i < n; i++) {
    p.drain();
    const marker = `mk${i}x${lines}`;
    const line = JSON.stringify({ sequence: lines + i + 1, timestamp: new Date().toISOString(), from: 'tm_1', to: 'lead', type: 'message', payload: marker }) + '\n';
    const t0 = performance.now();
    if (process.env.TEAMTOP_TRACE) appendFileSync(process.env.TEAMTOP_TRACE, `append ${performance.timeOrigin + t0}\n`);
    appendFileSync(file, line);
    const t1 = await p.waitFor(marker);
    if (process.env.TEAMTOP_TRACE) appendFileSync(process.env.TEAMTOP_TRACE, `seen ${performance.timeOrigin + t1}\n`);
    times.push(t1 - t0);
    await sleep(40); // separate changes, as a live team's messages are
  }
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  return { p, pid, times, rss };
}

/** CPU time of a process over `seconds` while nothing changes, as % of one core. */
async function idleCpu(pid, seconds) {
  const ticks = () => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
  const hz = 100;
  const a = ticks();
  await sleep(seconds * 1000);
  return ((ticks() - a) / hz / seconds) * 100;
}

/** The naive baseline: on every change, read the whole file and parse every line. */
function naiveReparse(file, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const text = readFileSync(file, 'utf8');
    let n = 0;
    for (const l of text.split('\n')) if (l) { JSON.parse(l); n++; }
    times.push(performance.now() - t0);
    if (n === 0) throw new Error('empty');
  }
  return times;
}

try {
  if (want('detectors')) {
    const d = await benchDetectors();
    const shape = `${d.teammates} teammates, ${d.tasks} tasks, ${d.edges} edges, ${d.messages} messages`;
    row('all detectors, large team, p50', d.p50, 'ms', shape);
    row('all detectors, large team, p95', d.p95, 'ms', `${d.alerts} alerts`);
    row('live tick (state unchanged), large team, p50', d.tickP50, 'ms', 'clock-independent results reused');
    results.detectors = d;
  }
  if (want('tui')) {
    const demo = await firstFrame(['--demo', '--static'], STARTS);
    row('start → first frame, demo-state, median', round(percentile(demo, 50)), 'ms', `${STARTS} runs`);
    const small = await root(100);
    const f100 = await firstFrame(['--root', small], Math.max(5, STARTS / 2));
    row('start → first frame, 100-line mailbox, median', round(percentile(f100, 50)), 'ms');
    const a = await appends(small, 100, APPENDS);
    row('append → screen, 100 lines, p50', round(percentile(a.times, 50)), 'ms', `${APPENDS} appends`);
    row('append → screen, 100 lines, p95', round(percentile(a.times, 95)), 'ms');
    if (want('idle')) row('idle CPU over 20 s, 100 lines', round(await idleCpu(a.pid, 20), 2), '% of a core');
    a.p.kill();
    const base100 = naiveReparse(join(small, 'bench-team', 'mailbox.jsonl'), 50);
    row('naive re-read + re-parse per change, 100 lines, p50', round(percentile(base100, 50), 2), 'ms', 'baseline');
    results.f100 = f100;
    if (want('large')) {
      const big = await root(LARGE);
      const size = statSync(join(big, 'bench-team', 'mailbox.jsonl')).size;
      const fBig = await firstFrame(['--root', big], 5);
      row(`start → first frame, ${LARGE}-line mailbox, median`, round(percentile(fBig, 50)), 'ms', `${round(size / 2 ** 20)} MiB; ${round(percentile(fBig, 50) / percentile(f100, 50), 2)}× the 100-line figure`);
      const b = await appends(big, LARGE, APPENDS);
      row(`append → screen, ${LARGE} lines, p50`, round(percentile(b.times, 50)), 'ms', `${APPENDS} appends, after indexing`);
      row(`append → screen, ${LARGE} lines, p95`, round(percentile(b.times, 95)), 'ms');
      row(`RSS with the ${LARGE}-line mailbox`, round(b.rss), 'MB', 'after indexing and the appends');
      if (want('idle')) row(`idle CPU over 20 s, ${LARGE} lines`, round(await idleCpu(b.pid, 20), 2), '% of a core');
      b.p.kill();
      const baseBig = naiveReparse(join(big, 'bench-team', 'mailbox.jsonl'), 5);
      row(`naive re-read + re-parse per change, ${LARGE} lines, p50`, round(percentile(baseBig, 50)), 'ms', `baseline: ${round(percentile(baseBig, 50) / percentile(b.times, 50))}× teamtop's append → screen`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const w = Math.max(...table.map((r) => r.name.length));
console.log(`teamtop bench — ${results.machine.cpus} × ${results.machine.cpu}, ${results.machine.memGiB} GiB, node ${results.machine.node}, terminal ${results.terminal}`);
for (const r of table) console.log(`${r.name.padEnd(w)}  ${String(r.value).padStart(9)} ${r.unit.padEnd(3)} ${r.note}`);
writeFileSync(join(HERE, 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.log('\nwritten to bench/results.json');
