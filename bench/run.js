#!/usr/bin/env node
// npm run bench: measures the real program in tmux and prints a table, also written to
// bench/results.json. Not a test: the figures depend on the machine.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipedPane, percentile, round } from './lib.js';
import { benchDetectors } from './detectors.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', 'bin', 'teamtop.js');
const RUNS = Number(process.env.BENCH_STARTS ?? 20);
const APPENDS = Number(process.env.BENCH_APPENDS ?? 200);
const PANES = (t) => ['1 Teammates', '2 Tasks', '3 Mailbox', '4 Alerts'].every((p) => t.includes(p));

const work = mkdtempSync(join(tmpdir(), 'teamtop-bench-'));
const results = { machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGiB: round(totalmem() / 2 ** 30), node: process.version }, at: new Date().toISOString(), figures: {} };

async function startToFirstFrame() {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const p = new PipedPane(`start${i}`, work);
    p.prepare([process.execPath, BIN, '--demo', '--static'], 120, 40);
    const t0 = p.go();
    const t1 = await p.waitFor(PANES);
    times.push(t1 - t0);
    p.kill();
  }
  return times;
}

function writeRoot(dir, lines) {
  const team = join(dir, 'bench-team');
  mkdirSync(team, { recursive: true });
  const now = Date.now();
  writeFileSync(join(team, 'teammates.json'), JSON.stringify([{ id: 'tm_a', last_heartbeat: new Date(now).toISOString() }, { id: 'tm_b', last_heartbeat: new Date(now).toISOString() }]));
  writeFileSync(join(team, 'team-manifest.json'), JSON.stringify({ tasks: [{ id: 'T1', name: 'bench', assigned_to: 'tm_a', status: 'in_progress', deliverables: [{ text: 'x', done: false }] }] }));
  const out = [];
  for (let s = 1; s <= lines; s++) {
    out.push(JSON.stringify({ sequence: s, timestamp: new Date(now - (lines - s) * 1000).toISOString(), from: s % 2 ? 'lead' : 'tm_a', to: s % 2 ? 'tm_a' : 'lead', type: 'message', priority: 'normal', payload: `history line ${s}` }));
  }
  writeFileSync(join(team, 'mailbox.jsonl'), out.join('\n') + '\n');
  return team;
}

async function appendToScreen(lines) {
  const dir = mkdtempSync(join(work, `root${lines}-`));
  const team = writeRoot(dir, lines);
  const p = new PipedPane(`append${lines}`, work);
  p.prepare([process.execPath, BIN, '--root', dir], 160, 40, process.env.TEAMTOP_TRACE ? { TEAMTOP_TRACE: process.env.TEAMTOP_TRACE } : {});
  p.go();
  await p.waitFor(PANES);
  const times = [];
  for (let i = 0; i < APPENDS; i++) {
    p.drain();
    const marker = `mk${i}x${lines}`;
    const line = JSON.stringify({ sequence: lines + i + 1, timestamp: new Date().toISOString(), from: 'tm_b', to: 'lead', type: 'message', payload: marker }) + '\n';
    const t0 = performance.now();
    if (process.env.TEAMTOP_TRACE) appendFileSync(process.env.TEAMTOP_TRACE, `append ${performance.timeOrigin + t0}\n`);
    appendFileSync(join(team, 'mailbox.jsonl'), line);
    const t1 = await p.waitFor(marker);
    times.push(t1 - t0);
    if (process.env.TEAMTOP_TRACE) appendFileSync(process.env.TEAMTOP_TRACE, `seen ${performance.timeOrigin + t1}\n`);
    // Space appends out so each is a separate change, as a live team's messages are.
    await new Promise((r) => setTimeout(r, 40));
  }
  p.kill();
  return times;
}

const table = [];
const row = (name, value, unit, note = '') => { table.push({ name, value, unit, note }); results.figures[name] = { value, unit, note }; };

const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
const want = (name) => !only || only.includes(name);

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
    const starts = await startToFirstFrame();
    row('start → first frame (demo-state), median', round(percentile(starts, 50)), 'ms', `${RUNS} runs`);
    row('start → first frame (demo-state), p95', round(percentile(starts, 95)), 'ms', `${RUNS} runs`);
    const a100 = await appendToScreen(100);
    row('append → screen, 100-line mailbox, p50', round(percentile(a100, 50)), 'ms', `${APPENDS} appends`);
    row('append → screen, 100-line mailbox, p95', round(percentile(a100, 95)), 'ms', `${APPENDS} appends`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const w = Math.max(...table.map((r) => r.name.length));
console.log(`teamtop bench — ${results.machine.cpus} × ${results.machine.cpu}, ${results.machine.memGiB} GiB, node ${results.machine.node}`);
for (const r of table) console.log(`${r.name.padEnd(w)}  ${String(r.value).padStart(9)} ${r.unit.padEnd(3)} ${r.note}`);
writeFileSync(join(HERE, 'results.json'), JSON.stringify(results, null, 2) + '\n');
console.log(`\nwritten to bench/results.json`);
