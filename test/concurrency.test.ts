// Many writers on one mailbox while teamtop watches it and appends to it: 8 agent processes
// append 5,000 messages each (one in ten over 4 KiB) in batches, each batch one write under
// proper-lockfile's `mailbox.jsonl.lock` with its sequences taken from the file's tail — the
// convention of docs/state-format.md — while the TUI runs in tmux (and applies 3 wakes itself)
// and `teamtop act wake` runs 30 times. Afterwards every line parses, every sequence is unique (and increasing in file order),
// teamtop's wake_up lines own their sequences, the TUI is alive, and its Mailbox title counts
// exactly the lines of the file.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, PROJECT, runCli } from './helpers/cli.js';
import { TmuxSession, hasTmux, cleanUpAfterEach } from './helpers/tmux.js';
import { tempDir, writeTeam, iso } from './helpers/state.js';

if (!hasTmux()) throw new Error('tmux is required for the end-to-end tests (.ci/run installs it)');

const WRITERS = 8;
const PER_WRITER = 5_000;
const BATCH = 50;
const WAKES = 30;
const TUI_WAKES = 3;

// A well-behaved agent: lock, read the highest sequence from the tail, append a batch of lines
// with ONE write on an O_APPEND descriptor, unlock.
const WRITER_SCRIPT = `
import { createRequire } from 'node:module';
import { openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
const [dir, who, total, batch] = process.argv.slice(2);
const require = createRequire(${JSON.stringify(join(PROJECT, 'package.json'))});
const lockfile = require('proper-lockfile');
import { openSync as openFd, readSync, fstatSync, closeSync as closeFd } from 'node:fs';
// The highest sequence in the file's last 256 KiB (what a simple agent reads under the lock).
function maxSequenceInTail(path) {
  let fd;
  try { fd = openFd(path, 'r'); } catch { return 0; }
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, 256 * 1024);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\\n');
    if (size > len) lines.shift();
    let max = 0;
    for (const l of lines) {
      try { const s = JSON.parse(l).sequence; if (Number.isInteger(s) && s > max) max = s; } catch {}
    }
    return max;
  } finally { closeFd(fd); }
}
const file = join(dir, 'mailbox.jsonl');
const big = 'é'.repeat(300) + 'x'.repeat(4000); // 4,600 bytes, multi-byte characters included
let sent = 0;
let locks = 0;
while (sent < Number(total)) {
  const n = Math.min(Number(batch), Number(total) - sent);
  let lost = null;
  const release = await lockfile.lock(file, {
    realpath: false, stale: 10000,
    retries: { retries: 1000, factor: 1.3, minTimeout: 2, maxTimeout: 50, randomize: true },
    onCompromised: (e) => { lost = e; },
  });
  locks++;
  try {
    let seq = maxSequenceInTail(file);
    let text = '';
    for (let k = 0; k < n; k++) {
      sent++;
      const payload = sent % 10 === 0 ? { text: big, n: sent } : { text: 'progress ' + sent + ' from ' + who };
      text += JSON.stringify({ sequence: ++seq, timestamp: new Date().toISOString(), from: who, to: 'lead', type: 'message', priority: 'normal', payload }) + '\\n';
    }
    const buf = Buffer.from(text);
    const fd = openSync(file, 'a');
    try {
      const w = writeSync(fd, buf, 0, buf.length);
      if (w !== buf.length) throw new Error('short write: ' + w + ' of ' + buf.length);
    } finally {
      closeSync(fd);
    }
  } finally {
    await release();
  }
  if (lost) throw lost;
}
process.stdout.write(JSON.stringify({ who, sent, locks }));
`;

interface Done { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function run(args: string[]): Promise<Done> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, args, { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d; });
    p.stderr.on('data', (d: Buffer) => { stderr += d; });
    p.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

let session: TmuxSession | null = null;
let root: string | null = null;
cleanUpAfterEach(afterEach, () => [root]);

const PANES = ['1 Teammates', '2 Tasks', '3 Mailbox', '4 Alerts'];

describe('concurrent writers', () => {
  it(`${WRITERS} locked writers x ${PER_WRITER} messages while the TUI watches (and wakes ${TUI_WAKES} times) and act wake runs ${WAKES} times`, async () => {
    const now = Date.now();
    root = tempDir('teamtop-conc-');
    const ids = Array.from({ length: WRITERS }, (_, i) => `tm_${i}`);
    const dir = writeTeam(root, 'crew', {
      team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
      teammates: ids.map((id) => ({ id, status: 'active', last_heartbeat: iso(now) })),
      manifest: ids.map((id, i) => ({ id: `T${i}`, assigned_to: id, status: 'in_progress' })),
      mailbox: [],
    });
    const script = join(root, 'writer.mjs');
    writeFileSync(script, WRITER_SCRIPT);

    session = new TmuxSession('conc');
    session.start([process.execPath, BIN, '--root', root], 160, 40);
    await session.waitFor((s) => PANES.every((p) => s.includes(p)) && s.includes(' 3 Mailbox (0)'));

    const started = Date.now();
    const writers = ids.map((id) => run([script, dir, id, String(PER_WRITER), String(BATCH)]));
    // teamtop allocates sequences under the same lock: two loops of wakes, so teamtop processes
    // contend with each other as well as with the agents.
    const wakeLoop = async (first: number): Promise<Done[]> => {
      const out: Done[] = [];
      for (let k = first; k < WAKES; k += 2) out.push(await run([BIN, 'act', 'wake', ids[k % WRITERS]!, '--team', 'crew', '--root', root!]));
      return out;
    };
    // The TUI applies actions too (in its own process, under the same lock): w on the selected
    // teammate, y to confirm, a few times while the writers run.
    const tuiWakes = async (): Promise<number[]> => {
      const seqs: number[] = [];
      for (let k = 0; k < TUI_WAKES; k++) {
        await new Promise((r) => setTimeout(r, 1500));
        session!.type('w');
        await session!.waitFor((s) => s.includes('— this will:'), 30_000);
        session!.type('y');
        const applied = (x: string): number | null => {
          const m = /wake: applied \(message (\d+)\)/.exec(x);
          return m && !seqs.includes(Number(m[1])) ? Number(m[1]) : null;
        };
        const s = await session!.waitFor((x) => applied(x) !== null || x.includes('wake failed'), 30_000);
        if (applied(s) === null) throw new Error(`the TUI's wake failed:\n${s}`);
        seqs.push(applied(s)!);
      }
      return seqs;
    };
    const [w, wakesA, wakesB, tuiSeqs] = await Promise.all([Promise.all(writers), wakeLoop(0), wakeLoop(1), tuiWakes()]);
    const wakes = [...wakesA, ...wakesB];
    const elapsed = Date.now() - started;

    for (const r of w) expect(r.code, r.stderr).toBe(0);
    for (const r of wakes) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/applied \(message sequence \d+\)/);
    }
    const wakeSeqs = [...wakes.map((r) => Number(/applied \(message sequence (\d+)\)/.exec(r.stdout)![1])), ...tuiSeqs];

    // Every line parses, sequences are unique and increase in file order.
    const text = readFileSync(join(dir, 'mailbox.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(WRITERS * PER_WRITER + WAKES + TUI_WAKES);
    const msgs = lines.map((l, i) => {
      try {
        return JSON.parse(l) as { sequence: number; from: string; type: string };
      } catch (e) {
        throw new Error(`line ${i + 1} does not parse (${(e as Error).message}): ${l.slice(0, 200)}`, { cause: e });
      }
    });
    const seqs = msgs.map((m) => m.sequence);
    expect(new Set(seqs).size).toBe(seqs.length);
    for (let i = 1; i < seqs.length; i++) {
      if (seqs[i]! <= seqs[i - 1]!) throw new Error(`line ${i + 1}: sequence ${seqs[i]} after ${seqs[i - 1]}`);
    }
    // The sequences teamtop reported (CLI and TUI) are exactly those of its wake_up lines, and no
    // agent line uses one of them.
    const bySeq = new Map(msgs.map((m) => [m.sequence, m]));
    expect(new Set(wakeSeqs).size).toBe(WAKES + TUI_WAKES);
    for (const s of wakeSeqs) expect(bySeq.get(s)).toMatchObject({ from: 'lead', type: 'wake_up' });
    expect(msgs.filter((m) => m.from === 'lead').map((m) => m.sequence).sort((a, b) => a - b)).toEqual([...wakeSeqs].sort((a, b) => a - b));
    const perWriter = new Map<string, number>();
    for (const m of msgs) perWriter.set(m.from, (perWriter.get(m.from) ?? 0) + 1);
    for (const id of ids) expect(perWriter.get(id)).toBe(PER_WRITER);
    expect((JSON.parse(readFileSync(join(dir, '.mailbox.seq'), 'utf8')) as { max: number }).max).toBe(Math.max(...wakeSeqs));

    // The TUI is alive and counts every line of the file.
    const screen = await session.waitFor((s) => s.includes(` 3 Mailbox (${lines.length})`) || /EXITED=\d+/.test(s), 60_000);
    expect(screen).not.toMatch(/EXITED=\d+/);
    expect(screen).toContain(` 3 Mailbox (${lines.length})`);
    for (const p of PANES) expect(screen).toContain(p);
    // Still responsive: the help overlay opens and closes.
    session.type('?');
    await session.waitFor((s) => s.includes('jump to Mailbox'));
    session.type('?');
    await session.waitFor((s) => PANES.every((p) => s.includes(p)));
    console.log(`concurrency: ${lines.length} lines, ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB; writers and wakes took ${elapsed} ms; `
      + `lock acquisitions per writer: ${w.map((r) => (JSON.parse(r.stdout) as { locks: number }).locks).join(',')}`);
  }, 180_000);

  it('the next sequence is found even when the tail of the mailbox holds no whole line (a huge last message)', () => {
    const now = Date.now();
    root = tempDir('teamtop-seq-');
    const dir = writeTeam(root, 'crew', {
      team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
      teammates: [{ id: 'tm_a', last_heartbeat: iso(now) }],
      mailbox: [
        { sequence: 7, timestamp: iso(now), from: 'tm_a', to: 'lead', type: 'message', payload: 'short' },
        // 600 KB: more than the 256 KiB tail read first, less than the reader's 1 MiB line limit.
        { sequence: 8, timestamp: iso(now), from: 'tm_a', to: 'lead', type: 'message', payload: 'x'.repeat(600_000) },
      ],
    });
    const r = runCli(['act', 'wake', 'tm_a', '--team', 'crew', '--root', root]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('applied (message sequence 9)');
    const seqs = readFileSync(join(dir, 'mailbox.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { sequence: number }).sequence);
    expect(seqs).toEqual([7, 8, 9]);
  });
});
