// Crash safety: 120 `teamtop act` runs, four at a time, each SIGKILLed at a random point: half
// after a random delay (some finish, some die before writing, some in the middle), half just
// after the Nth change the test sees in the team directory (a lock taken, a temp file written,
// a rename, an append: kills that land inside writes). Afterwards every state file parses,
// actions.jsonl and mailbox.jsonl hold no torn line, the team directory holds only state files
// (and temp files left by killed writers, which the loader never reads), `teamtop check` sees
// no invalid state, and the next normal actions succeed — waiting out the lock directories the
// killed processes left — and clean the temp files up.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { BIN, PROJECT, runCli } from './helpers/cli.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';
import { isTeamtopTemp, withLock } from '../src/files/write.js';

const RUNS = 120;
const PARALLEL = 4;
// Timed kills are drawn from 0 to this, or to twice what an action takes when PARALLEL run
// at once on this machine if that is longer (on two cores, four at once take ~1 s each).
const MIN_MAX_DELAY_MS = 400;
// Padding for team-manifest.json (~1.5 MB): its rewrites take long enough for a kill to land
// in the middle of one.
const FILLER_TASKS = 1500;

let root: string | null = null;
let watchers: FSWatcher[] = [];
afterEach(() => {
  for (const w of watchers) w.close();
  watchers = [];
  if (root) removeDir(root);
  root = null;
});

interface Outcome { code: number | null; signal: NodeJS.Signals | null; stderr: string; killedBy: 'timer' | 'write' | null }

/** Running actions that die at the Nth change seen in the team directory. */
const armed = new Set<{ left: number; kill: () => void }>();

/** Counts changes in `dirs` (any process's) against the armed runs. */
function watchTeam(dirs: string[]): void {
  for (const d of dirs) {
    watchers.push(watch(d, () => {
      for (const a of armed) {
        if (--a.left > 0) continue;
        armed.delete(a);
        // A little later (0-2 ms), so the kill lands inside the step as often as after it.
        setTimeout(a.kill, Math.random() * 2);
      }
    }));
  }
}

/**
 * Runs `teamtop act ARGS` and SIGKILLs it (its process group) after `killAfter` ms unless it
 * has exited by then, or, with `atChange`, at the atChange-th change in the team directory.
 */
function actKilled(args: string[], killAfter: number, atChange?: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const p: ChildProcess = spawn(process.execPath, [BIN, 'act', ...args], { cwd: PROJECT, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let by: Outcome['killedBy'] = null;
    p.stderr!.on('data', (d: Buffer) => { stderr += d; });
    const kill = (why: 'timer' | 'write') => (): void => {
      if (p.exitCode !== null || p.signalCode !== null) return;
      by ??= why;
      try {
        process.kill(-p.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(kill('timer'), killAfter);
    const arm = atChange === undefined ? null : { left: atChange, kill: kill('write') };
    if (arm) armed.add(arm);
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      if (arm) armed.delete(arm);
      resolve({ code, signal, stderr, killedBy: signal === 'SIGKILL' ? by : null });
    });
  });
}

const TEAMMATES = ['tm_a', 'tm_b', 'tm_c', 'tm_d'];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

function randomAction(team: string, root: string): string[] {
  const common = ['--team', team, '--root', root, '--yes'];
  switch (pick(['wake', 'resend', 'break-cycle', 'complete', 'halt', 'resume', 'reassign'] as const)) {
    case 'wake': return ['wake', pick(TEAMMATES), ...common];
    case 'resend': return ['resend', pick(TEAMMATES), ...common];
    case 'break-cycle': return ['break-cycle', ...common];
    case 'complete': return ['complete', pick(['T4', 'T5', 'T6']), '--reason', 'crash test', ...common];
    case 'halt': return ['halt', '--reason', 'crash test', ...common];
    case 'resume': return ['resume', ...common];
    case 'reassign': return ['reassign', pick(['T1', 'T2', 'T3', 'T4', 'T5', 'T6']), '--to', pick(TEAMMATES), ...common];
  }
}

const parses = (file: string): void => {
  try {
    JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} does not parse: ${(e as Error).message}`, { cause: e });
  }
};

/** Every line of a JSON Lines file parses, and the file ends with a newline. */
const linesParse = (file: string): unknown[] => {
  const text = readFileSync(file, 'utf8');
  if (text === '') return [];
  expect(text.endsWith('\n'), `${file} ends in a torn line: ${JSON.stringify(text.slice(-200))}`).toBe(true);
  return text.slice(0, -1).split('\n').map((l, i) => {
    try {
      return JSON.parse(l) as unknown;
    } catch (e) {
      throw new Error(`${file}:${i + 1} is torn or not JSON (${(e as Error).message}): ${l.slice(0, 200)}`, { cause: e });
    }
  });
};

const TEAM_DIR_FILES = new Set(['team.json', 'teammates.json', 'team-manifest.json', 'mailbox.jsonl', 'actions.jsonl', '.mailbox.seq', 'alert-acks.json', 'events.jsonl']);
const isRecord = (n: string): boolean => /^(reassign|abort)-.+\.json$/.test(n);
const isLockDir = (dir: string, n: string): boolean => n.endsWith('.lock') && statSync(join(dir, n)).isDirectory();

/** Checks every state file and returns the temp leftovers found (relative paths). */
function checkTeamDir(dir: string): string[] {
  const temps: string[] = [];
  for (const n of readdirSync(dir)) {
    if (n === 'checkpoints' || isLockDir(dir, n)) continue;
    if (isTeamtopTemp(n)) { temps.push(n); continue; }
    expect(TEAM_DIR_FILES.has(n) || isRecord(n), `unexpected file in the team directory: ${n}`).toBe(true);
    if (n.endsWith('.json') || n === '.mailbox.seq') parses(join(dir, n));
  }
  const cps = join(dir, 'checkpoints');
  for (const n of existsSync(cps) ? readdirSync(cps) : []) {
    if (isLockDir(cps, n)) continue;
    if (isTeamtopTemp(n)) { temps.push(`checkpoints/${n}`); continue; }
    expect(n, 'unexpected file in checkpoints/').toMatch(/^tm_[a-d]-(latest|\d{8}T\d{6}Z)\.json$/);
    parses(join(cps, n));
  }
  for (const f of ['mailbox.jsonl', 'actions.jsonl']) if (existsSync(join(dir, f))) linesParse(join(dir, f));
  const seqs = linesParse(join(dir, 'mailbox.jsonl')).map((m) => (m as { sequence: number }).sequence);
  expect(new Set(seqs).size, 'a sequence was used twice').toBe(seqs.length);
  return temps;
}

/** Waits until every `*.lock` directory in `dirs` is older than withLock's `stale` (10 s). */
async function waitForStaleLocks(dirs: string[]): Promise<void> {
  const stale = 10_000 + 500;
  for (;;) {
    let newest = 0;
    for (const d of dirs) {
      for (const n of existsSync(d) ? readdirSync(d) : []) {
        if (!n.endsWith('.lock')) continue;
        try {
          newest = Math.max(newest, statSync(join(d, n)).mtimeMs);
        } catch {
          // released meanwhile
        }
      }
    }
    const wait = newest + stale - Date.now();
    if (wait <= 0) return;
    await new Promise((r) => setTimeout(r, wait));
  }
}

describe('SIGKILL at random points', () => {
  it(`${RUNS} actions, ${PARALLEL} at a time, killed at random points, leave parseable state and no torn records`, async () => {
    const now = Date.now();
    root = tempDir('teamtop-crash-');
    const dir = writeTeam(root, 'crew', {
      // No repo and no git work tree around the root (it is in the system temp directory).
      team: { team_id: 'crew', team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) }, base_ref: 'main' },
      teammates: TEAMMATES.map((id, i) => ({
        id, name: `Teammate ${i}`, status: 'active', last_heartbeat: iso(now - i * 20 * 60_000),
        context_tokens_used: 50_000 + i * 10_000, context_tokens_max: 200_000, completion_percent: 10 * i, custom_field: { keep: i },
      })),
      manifest: {
        tasks: [
          // A cycle: T1 -> T3 -> T2 -> T1.
          { id: 'T1', name: 'one', assigned_to: 'tm_a', status: 'in_progress', depends_on: ['T3'], sequence: 1 },
          { id: 'T2', name: 'two', assigned_to: 'tm_b', status: 'pending', depends_on: ['T1'], sequence: 2 },
          { id: 'T3', name: 'three', assigned_to: 'tm_c', status: 'blocked', depends_on: ['T2'], sequence: 3 },
          { id: 'T4', name: 'four', assigned_to: 'tm_d', status: 'in_progress', sequence: 4 },
          { id: 'T5', name: 'five', assigned_to: 'tm_a', status: 'pending', depends_on: ['T4'], sequence: 5 },
          { id: 'T6', name: 'six', assigned_to: 'tm_b', status: 'in_progress', sequence: 6, deliverables: [{ text: 'x', done: false }] },
          ...Array.from({ length: FILLER_TASKS }, (_, i) => ({
            id: `F${i}`, name: `filler ${i}`, assigned_to: TEAMMATES[i % 4], status: 'completed', description: 'd'.repeat(900),
          })),
        ],
      },
      mailbox: TEAMMATES.flatMap((id, i) => [
        { sequence: 2 * i + 1, timestamp: iso(now - 600_000), from: 'lead', to: id, type: 'message', payload: `question ${i}`, ack_required: true },
        { sequence: 2 * i + 2, timestamp: iso(now - 590_000), from: id, to: 'lead', type: 'message', payload: `note ${i}` },
      ]),
      checkpoints: { 'tm_a-latest.json': { teammate_id: 'tm_a', timestamp: iso(now - 3_600_000), completion_percent: 5, last_action: 'started', next_step: 'go on' } },
    });

    // Calibrate: how long PARALLEL unkilled actions take at once.
    const cal = Date.now();
    const calibration = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => actKilled(['wake', TEAMMATES[i % TEAMMATES.length]!, '--team', 'crew', '--root', root!], 60_000)));
    for (const o of calibration) expect(o.code, o.stderr).toBe(0);
    const maxDelay = Math.max(MIN_MAX_DELAY_MS, 2 * (Date.now() - cal));

    // Half the runs die at a random time, half at the 1st to 30th change in the team directory
    // after they start (their own or a concurrent action's); those are still killed after a
    // while if a stale lock holds them up.
    watchTeam([dir, join(dir, 'checkpoints')]);
    const started = Date.now();
    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < RUNS) {
        next++;
        const args = randomAction('crew', root!);
        outcomes.push(Math.random() < 0.5
          ? await actKilled(args, 2 * maxDelay, 1 + Math.floor(Math.random() * 30))
          : await actKilled(args, Math.random() * maxDelay));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const loopMs = Date.now() - started;
    const killed = outcomes.filter((o) => o.signal === 'SIGKILL').length;
    const killedAtWrite = outcomes.filter((o) => o.killedBy === 'write').length;
    const applied = outcomes.filter((o) => o.code === 0).length;
    const refusedOrFailed = outcomes.filter((o) => o.code === 1).length;
    // Nothing but a kill, an application, or a refusal/failure reported cleanly (never a crash).
    for (const o of outcomes) {
      if (o.signal === 'SIGKILL') continue;
      expect([0, 1], o.stderr).toContain(o.code);
      expect(o.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
    }

    const tempsAfterKills = checkTeamDir(dir);
    const locksLeft = readdirSync(dir).filter((n) => n.endsWith('.lock')).length;
    const actionsLogged = linesParse(join(dir, 'actions.jsonl')).length;

    // Temp files are never read as state: plant broken ones beside real files and check (teamtop's
    // own temp names, of a process that no longer exists: pid 2^22+1 is above Linux's pid_max).
    const deadPid = 2 ** 22 + 1;
    writeFileSync(join(dir, `.teammates.json.teamtop-${deadPid}-00000001.tmp`), '{"teammates": [');
    writeFileSync(join(dir, `.team-manifest.json.teamtop-${deadPid}-00000017.tmp`), '{');
    writeFileSync(join(dir, 'checkpoints', `.tm_a-latest.json.teamtop-${deadPid}-00123456.tmp`), '{"teammate_id":');
    const check = runCli(['check', '--json', '--root', root]);
    expect(check.status === 0 || check.status === 1, check.stderr).toBe(true);
    const report = JSON.parse(check.stdout) as { teams: Array<{ alerts: Array<{ kind: string; summary: string }> }> };
    const invalid = report.teams.flatMap((t) => t.alerts).filter((a) => a.kind === 'invalid-state');
    expect(invalid.map((a) => a.summary)).toEqual([]);

    // The next normal actions succeed (waiting out stale lock directories of killed processes)
    // and leave no temp file behind: a wake (mailbox, .mailbox.seq, actions.jsonl), halt or
    // resume (team.json), and a reassign (manifest, teammates, checkpoints, its brief).
    const finalStart = Date.now();
    const wake = runCli(['act', 'wake', 'tm_a', '--team', 'crew', '--root', root]);
    expect(wake.status, wake.stderr).toBe(0);
    const wakeMs = Date.now() - finalStart;
    // A temp file left by a process killed mid-write sits beside that file's lock directory, left
    // by the same kill: it is removed by the next writer that gets the lock, which for a file
    // written only once (a brief, a checkpoint) is the next write in that directory after the
    // lock has gone stale. Wait until it has, then write in both directories.
    await waitForStaleLocks([dir, join(dir, 'checkpoints')]);
    const status = (JSON.parse(readFileSync(join(dir, 'team.json'), 'utf8')) as { team_status: string }).team_status;
    const hr = runCli(['act', status === 'halted' ? 'resume' : 'halt', '--team', 'crew', '--root', root]);
    expect(hr.status, hr.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'team-manifest.json'), 'utf8')) as { tasks: Array<{ id: string; assigned_to: string }> };
    const t1 = manifest.tasks.find((t) => t.id === 'T1')!;
    const to = TEAMMATES.find((id) => id !== t1.assigned_to)!;
    const ra = runCli(['act', 'reassign', 'T1', '--to', to, '--team', 'crew', '--root', root, '--yes']);
    expect(ra.status, ra.stderr).toBe(0);
    const finalMs = Date.now() - finalStart;

    expect(checkTeamDir(dir), `temp files left after the final actions`).toEqual([]);
    // The records survived the kills: every line of actions.jsonl is a whole record.
    const records = linesParse(join(dir, 'actions.jsonl')) as Array<{ action: string; result: string }>;
    expect(records.length).toBe(actionsLogged + 3);
    expect(actionsLogged).toBeGreaterThanOrEqual(PARALLEL + applied + refusedOrFailed);
    for (const r of records) expect(['ok', 'refused', 'failed']).toContain(r.result);
    // Unknown fields survived every rewrite.
    const tms = JSON.parse(readFileSync(join(dir, 'teammates.json'), 'utf8')) as Array<{ id: string; custom_field: unknown }>;
    expect(tms.map((t) => t.custom_field)).toEqual([{ keep: 0 }, { keep: 1 }, { keep: 2 }, { keep: 3 }]);
    const after = JSON.parse(runCli(['check', '--json', '--root', root]).stdout) as typeof report;
    expect(after.teams.flatMap((t) => t.alerts).filter((a) => a.kind === 'invalid-state')).toEqual([]);

    console.log(`crash: ${RUNS} runs in ${loopMs} ms (timed kills after 0-${Math.round(maxDelay)} ms): `
      + `${killed} killed (${killedAtWrite} at a change in the directory), ${applied} applied, ${refusedOrFailed} refused/failed; `
      + `${tempsAfterKills.length} temp files and ${locksLeft} lock directories left by the kills (${tempsAfterKills.join(' ') || '-'}); `
      + `${actionsLogged} records logged; the next wake took ${wakeMs} ms, the three final actions ${finalMs} ms`);
  }, 240_000);

  it('a record torn by a kill is cut off before the next one; a torn mailbox line is closed off', () => {
    const now = Date.now();
    root = tempDir('teamtop-torn-');
    const dir = writeTeam(root, 'crew', {
      team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
      teammates: [{ id: 'tm_a', last_heartbeat: iso(now) }],
      mailbox: [{ sequence: 1, timestamp: iso(now), from: 'tm_a', to: 'lead', type: 'message', payload: 'hi' }],
    });
    // What a writer killed in the middle of its write(2) leaves: a line without its newline.
    writeFileSync(join(dir, 'actions.jsonl'), '{"time":"2026-01-01T00:00:00Z","action":"wake","result":"ok"}\n{"time":"2026-01-01T00:0');
    writeFileSync(join(dir, 'mailbox.jsonl'), readFileSync(join(dir, 'mailbox.jsonl'), 'utf8') + '{"sequence":2,"from":"tm_a","pay');
    const r = runCli(['act', 'wake', 'tm_a', '--team', 'crew', '--root', root]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('applied (message sequence 2)');
    const records = linesParse(join(dir, 'actions.jsonl')) as Array<{ action: string; result: string }>;
    expect(records.map((x) => x.action)).toEqual(['wake', 'wake']);
    // The mailbox is followed incrementally by others: nothing already written is taken away; the
    // fragment becomes a malformed line of its own and the new message is whole.
    const lines = readFileSync(join(dir, 'mailbox.jsonl'), 'utf8').split('\n');
    expect(lines[1]).toBe('{"sequence":2,"from":"tm_a","pay');
    expect(JSON.parse(lines[2]!)).toMatchObject({ sequence: 2, from: 'lead', type: 'wake_up' });
    expect(lines[3]).toBe('');
  });

  it('a lock lost while its holder writes is that write\'s error, not a crash of the process', async () => {
    // proper-lockfile's default reaction to a compromised lock (its directory removed, or taken
    // over as stale while the holder was stalled) is to throw from a timer: an uncaught exception
    // that would kill the TUI. withLock turns it into the error of the call that held the lock.
    root = tempDir('teamtop-lock-');
    const file = join(root, 'team.json');
    const held = withLock(root, file, async () => {
      rmSync(`${file}.lock`, { recursive: true });
      // proper-lockfile notices at its next refresh of the lock (every stale/2 = 5 s).
      await new Promise((r) => setTimeout(r, 6_000));
      return 'written';
    });
    await expect(held).rejects.toThrow(/lost the lock on .*team\.json/);
  }, 20_000);
});
