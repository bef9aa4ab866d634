#!/usr/bin/env node
// npm run bench: measures the real program in tmux (its raw output piped to a file, so a frame's
// arrival is timed to the millisecond) and prints a table, also written to bench/results.json.
// Not a test: the figures depend on the machine. BENCH_ONLY=detectors,tui,large,idle runs parts.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, readFileSync, statSync, cpSync, renameSync } from 'node:fs';
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

/** A mailbox file with `lines` lines (generated once, cached across runs). */
async function cachedMailbox(lines) {
  const cached = join(FIXTURES, `mailbox-${lines}.jsonl`);
  if (!existsSync(cached)) {
    mkdirSync(FIXTURES, { recursive: true });
    await writeMailbox(`${cached}.tmp`, lines, 2, Date.now(), undefined, 45);
    renameSync(`${cached}.tmp`, cached);
  }
  return cached;
}

/** Adds a team whose mailbox has `lines` lines to `dir` (the mailbox is copied: appends must not grow the cache). */
async function addTeam(dir, team, lines) {
  mkdirSync(join(dir, team), { recursive: true });
  cpSync(await cachedMailbox(lines), join(dir, team, 'mailbox.jsonl'));
  // Heartbeats a few minutes old: ages show in minutes, so when nothing changes nothing on screen
  // changes either (an age under a minute redraws every second).
  const hb = new Date(Date.now() - 3 * 60_000).toISOString();
  writeFileSync(join(dir, team, 'teammates.json'), JSON.stringify([{ id: 'tm_0', last_heartbeat: hb }, { id: 'tm_1', last_heartbeat: hb }]));
  writeFileSync(join(dir, team, 'team-manifest.json'), JSON.stringify({ tasks: [{ id: 'T1', name: 'bench', assigned_to: 'tm_0', status: 'in_progress', deliverables: [{ text: 'x', done: false }] }] }));
}

/** A fresh team root holding one team, bench-team, whose mailbox has `lines` lines. */
async function root(lines) {
  const dir = mkdtempSync(join(work, `root${lines}-`));
  await addTeam(dir, 'bench-team', lines);
  return dir;
}

async function firstFrame(argv, runs, cols = COLS, rows = ROWS) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const p = new PipedPane(`start${i}-${Math.random().toString(36).slice(2, 6)}`, work);
    p.prepare([process.execPath, BIN, ...argv], cols, rows);
    const t0 = p.go();
    times.push((await p.waitFor(PANES)) - t0);
    p.kill();
  }
  return times;
}

const mailboxLine = (seq, marker) => JSON.stringify({ sequence: seq, timestamp: new Date().toISOString(), from: 'tm_1', to: 'lead', type: 'message', payload: marker }) + '\n';

/**
 * Appends `n` lines with unique markers to `file` and times each until it shows in the pane's
 * output. `until` (optional) stops early when it returns true.
 */
async function timeAppends(p, file, n, firstSeq, tag, until = () => false) {
  const times = [];
  for (let i = 0; i < n && !until(); i++) {
    p.drain();
    const marker = `mk${i}x${tag}`;
    const t0 = performance.now();
    if (process.env.TEAMTOP_TRACE) appendFileSync(process.env.TEAMTOP_TRACE, `append ${performance.timeOrigin + t0}\n`);
    appendFileSync(file, mailboxLine(firstSeq + i, marker));
    const t1 = await p.waitFor(marker);
    if (process.env.TEAMTOP_TRACE) appendFileSync(process.env.TEAMTOP_TRACE, `seen ${performance.timeOrigin + t1}\n`);
    times.push(t1 - t0);
    await sleep(40); // separate changes, as a live team's messages are
  }
  return times;
}

const vm = (pid, field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const indexed = (lines) => (t) => t.includes(`${lines} msgs`) && !/indexing/.test(t.slice(t.lastIndexOf(`${lines} msgs`) - 50));

/** Starts the program on `dir`, waits until the mailbox is indexed, then times `n` appends. */
async function appends(dir, lines, n, cols = COLS, rows = ROWS) {
  const file = join(dir, 'bench-team', 'mailbox.jsonl');
  const p = new PipedPane(`append${lines}-${cols}x${rows}`, work);
  p.prepare([process.execPath, BIN, '--root', dir, '--no-bell'], cols, rows, process.env.TEAMTOP_TRACE ? { TEAMTOP_TRACE: process.env.TEAMTOP_TRACE } : {});
  p.go();
  await p.waitFor(PANES);
  // Indexing done: the header shows the full count without "indexing".
  await p.waitFor(indexed(lines), 120_000);
  const pid = p.pid();
  const times = await timeAppends(p, file, n, lines + 1, `${lines}`);
  return { p, pid, times, rss: vm(pid, 'VmRSS'), hwm: vm(pid, 'VmHWM') };
}

/** The floor: `tail -F` in a pane of the same size, timed the same way. */
async function floor(n, cols, rows) {
  const dir = mkdtempSync(join(work, 'floor-'));
  const file = join(dir, 'mailbox.jsonl');
  writeFileSync(file, '');
  const p = new PipedPane(`floor-${cols}x${rows}`, work);
  p.prepare(['tail', '-n', '0', '-F', file], cols, rows);
  p.go();
  await sleep(500);
  const times = await timeAppends(p, file, n, 1, `floor${cols}`);
  p.kill();
  return times;
}

/** What Node alone costs: bench/node-tail.js (fs.watch, read, write) in the same pane, timed the same way. */
async function nodeFloor(n, cols, rows) {
  const dir = mkdtempSync(join(work, 'nodefloor-'));
  const file = join(dir, 'mailbox.jsonl');
  writeFileSync(file, '');
  const p = new PipedPane(`nodefloor-${cols}x${rows}`, work);
  p.prepare([process.execPath, join(dirname(fileURLToPath(import.meta.url)), 'node-tail.js'), file], cols, rows);
  p.go();
  await sleep(800);
  const times = await timeAppends(p, file, n, 1, `nodefloor${cols}`);
  p.kill();
  return times;
}

/**
 * A large mailbox while it is indexed: the program starts, and as soon as its first frame is up a
 * line is appended; the time until it shows. Also the peak RSS (VmHWM) once indexing is done.
 */
async function appendWhileIndexing(lines, runs) {
  const firsts = [];
  let hwm = 0;
  let indexMs = 0;
  for (let i = 0; i < runs; i++) {
    const dir = await root(lines);
    const file = join(dir, 'bench-team', 'mailbox.jsonl');
    const p = new PipedPane(`indexing${i}`, work);
    p.prepare([process.execPath, BIN, '--root', dir, '--no-bell'], COLS, ROWS);
    const t0 = p.go();
    await p.waitFor(PANES);
    p.drain();
    const stillIndexing = /indexing|idx/.test(p.tmux(['capture-pane', '-p', '-t', p.name]));
    const [t] = await timeAppends(p, file, 1, lines + 1, `idx${i}`);
    if (!stillIndexing) throw new Error('the mailbox was indexed before the first append: no measurement');
    firsts.push(t);
    await p.waitFor(indexed(lines + 1), 180_000);
    indexMs = Math.max(indexMs, performance.now() - t0);
    hwm = Math.max(hwm, vm(p.pid(), 'VmHWM'));
    p.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  return { firsts, hwm, indexMs };
}

/**
 * The team on screen while another team under the same root indexes a large mailbox: appends to
 * the small one, timed, for as long as the other is being indexed.
 */
async function appendsBesideIndexing(lines, n, cols, rows, windowMs) {
  const dir = mkdtempSync(join(work, 'beside-'));
  await addTeam(dir, 'a-team', 100);
  await addTeam(dir, 'z-team', lines);
  const p = new PipedPane(`beside-${cols}x${rows}`, work);
  p.prepare([process.execPath, BIN, '--root', dir, '--team', 'a-team', '--no-bell'], cols, rows);
  const t0 = p.go();
  await p.waitFor(PANES);
  // Appends stop before the other team's pass would be done (`windowMs`, from the measured
  // indexing time of the same mailbox).
  const deadline = t0 + windowMs;
  const times = await timeAppends(p, join(dir, 'a-team', 'mailbox.jsonl'), n, 101, `beside${cols}`, () => performance.now() > deadline);
  p.kill();
  rmSync(dir, { recursive: true, force: true });
  return { times };
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

const SIZES = (process.env.BENCH_SIZES ?? '80x24,120x40,200x60').split(',').map((x) => x.split('x').map(Number));
const RATIO = 2.5;
const targets = [];
/** A target and whether this run met it. */
const target = (name, met, figure) => { targets.push({ name, met, figure }); results.targets = targets; };
const ms = (x) => `${round(x)} ms`;

try {
  if (want('detectors')) {
    const d = await benchDetectors();
    const shape = `${d.teammates} teammates, ${d.tasks} tasks, ${d.edges} edges, ${d.messages} messages`;
    row('all detectors, large team, p50', d.p50, 'ms', shape);
    row('all detectors, large team, p95', d.p95, 'ms', `${d.alerts} alerts`);
    row('live tick (state unchanged), large team, p50', d.tickP50, 'ms', 'clock-independent results reused');
    for (const [k, v] of Object.entries(d.byChange)) row(`live engine after a ${k} change, large team, p50 / p95`, `${v.p50} / ${v.p95}`, 'ms');
    row('live engine after a change, large team, p95', d.changeP95, 'ms', 'all four kinds of change');
    results.detectors = d;
    target('detectors p95 ≤ 20 ms on the large team, per change (live engine)', d.changeP95 <= 20, `${ms(d.changeP95)} (cold, every detector from scratch: ${ms(d.p95)})`);
  }
  if (want('tui')) {
    const demo = await firstFrame(['--demo', '--static'], STARTS);
    row('start → first frame, demo-state, median', round(percentile(demo, 50)), 'ms', `${STARTS} runs`);
    const small = await root(100);
    const f100 = await firstFrame(['--root', small], STARTS);
    row('start → first frame, 100-line mailbox, median', round(percentile(f100, 50)), 'ms', `${STARTS} runs`);
    target('start → first frame ≤ 500 ms median (demo and a 100-line team)', percentile(demo, 50) <= 500 && percentile(f100, 50) <= 500,
      `${ms(percentile(demo, 50))} demo, ${ms(percentile(f100, 50))} 100 lines`);
    results.f100 = f100;
    // The floor and teamtop, side by side, at each terminal size.
    let worst = 0;
    const floors = {};
    for (const [cols, rows] of SIZES) {
      const size = `${cols}×${rows}`;
      const fl = await floor(APPENDS, cols, rows);
      floors[size] = fl;
      row(`floor: tail -F append → screen, ${size}, p50`, round(percentile(fl, 50)), 'ms', `${fl.length} appends`);
      row(`floor: tail -F append → screen, ${size}, p95`, round(percentile(fl, 95)), 'ms');
      const nf = await nodeFloor(APPENDS, cols, rows);
      row(`Node alone (fs.watch, read, write), ${size}, p50`, round(percentile(nf, 50)), 'ms', `${round(percentile(nf, 50) / percentile(fl, 50), 2)}× the floor (what any Node program spends before its own work)`);
      row(`Node alone (fs.watch, read, write), ${size}, p95`, round(percentile(nf, 95)), 'ms', `${round(percentile(nf, 95) / percentile(fl, 95), 2)}× the floor`);
      const a = await appends(await root(100), 100, APPENDS, cols, rows);
      const r50 = percentile(a.times, 50) / percentile(fl, 50);
      const r95 = percentile(a.times, 95) / percentile(fl, 95);
      worst = Math.max(worst, r50, r95);
      row(`append → screen, 100 lines, ${size}, p50`, round(percentile(a.times, 50)), 'ms', `${round(r50, 2)}× the floor`);
      row(`append → screen, 100 lines, ${size}, p95`, round(percentile(a.times, 95)), 'ms', `${round(r95, 2)}× the floor`);
      if (want('idle') && cols === COLS && rows === ROWS) row(`idle CPU over 20 s, 100 lines, ${size}`, round(await idleCpu(a.pid, 20), 2), '% of a core');
      a.p.kill();
    }
    target(`append → screen ≤ ${RATIO}× the floor at every size (p50 and p95)`, worst <= RATIO, `worst ${round(worst, 2)}×`);
    const base100 = naiveReparse(join(small, 'bench-team', 'mailbox.jsonl'), 50);
    row('naive re-read + re-parse per change, 100 lines, p50', round(percentile(base100, 50), 2), 'ms', 'baseline');
    if (want('large')) {
      const floorAt = floors[`${COLS}×${ROWS}`] ?? await floor(APPENDS, COLS, ROWS);
      const big = await root(LARGE);
      const size = statSync(join(big, 'bench-team', 'mailbox.jsonl')).size;
      const fBig = await firstFrame(['--root', big], 5);
      row(`start → first frame, ${LARGE}-line mailbox, median`, round(percentile(fBig, 50)), 'ms', `${round(size / 2 ** 20)} MiB; ${round(percentile(fBig, 50) / percentile(f100, 50), 2)}× the 100-line figure`);
      const w = await appendWhileIndexing(LARGE, 5);
      const r = percentile(w.firsts, 50) / percentile(floorAt, 50);
      row(`first append while indexing ${LARGE} lines, median`, round(percentile(w.firsts, 50)), 'ms', `${w.firsts.length} starts; ${round(r, 2)}× the floor at ${COLS}×${ROWS}; worst ${ms(Math.max(...w.firsts))}`);
      row(`indexing ${LARGE} lines, start → done`, round(w.indexMs), 'ms', 'the slowest of the starts');
      row(`peak RSS (VmHWM) opening the ${LARGE}-line mailbox`, round(w.hwm), 'MB', 'the highest of the starts, read after indexing');
      target(`first append while indexing ≤ ${RATIO}× the floor (median)`, r <= RATIO, `${ms(percentile(w.firsts, 50))}, ${round(r, 2)}×`);
      target('peak RSS (VmHWM) ≤ 200 MB with the 1,000,000-line mailbox', w.hwm <= 200, `${round(w.hwm)} MB`);
      const [bc, br] = SIZES[SIZES.length - 1];
      const bfl = floors[`${bc}×${br}`] ?? await floor(APPENDS, bc, br);
      const beside = await appendsBesideIndexing(LARGE, APPENDS, bc, br, Math.min(8000, w.indexMs * 0.7));
      const b50 = percentile(beside.times, 50) / percentile(bfl, 50);
      const b95 = percentile(beside.times, 95) / percentile(bfl, 95);
      row(`append → screen while another team indexes ${LARGE} lines, ${bc}×${br}, p50`, round(percentile(beside.times, 50)), 'ms', `${beside.times.length} appends; ${round(b50, 2)}× the floor`);
      row(`append → screen while another team indexes ${LARGE} lines, ${bc}×${br}, p95`, round(percentile(beside.times, 95)), 'ms', `${round(b95, 2)}× the floor`);
      target(`append → screen ≤ ${RATIO}× the floor while another team indexes (p50 and p95)`, Math.max(b50, b95) <= RATIO, `${round(Math.max(b50, b95), 2)}×`);
      const b = await appends(big, LARGE, APPENDS);
      row(`append → screen, ${LARGE} lines, p50`, round(percentile(b.times, 50)), 'ms', `${APPENDS} appends, after indexing`);
      row(`append → screen, ${LARGE} lines, p95`, round(percentile(b.times, 95)), 'ms');
      row(`RSS with the ${LARGE}-line mailbox`, round(b.rss), 'MB', `after indexing and the appends (peak ${round(b.hwm)} MB)`);
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
if (targets.length) {
  console.log('\ntargets');
  for (const t of targets) console.log(`  ${t.met ? 'met    ' : 'NOT MET'}  ${t.name}: ${t.figure}`);
}
writeFileSync(join(HERE, 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.log('\nwritten to bench/results.json');
