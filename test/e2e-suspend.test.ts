// Ctrl-Z and SIGTSTP suspend the monitor as a shell job: the terminal is given back exactly as on
// exit (termios, a visible cursor, the shell's own screen) and the process is stopped; `fg` takes
// the terminal back, repaints the whole frame and the keys work again.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './helpers/cli.js';
import { TmuxSession, hasTmux, paneProcess, until, cleanUpAfterEach } from './helpers/tmux.js';
import { tempDir, writeTeam, iso } from './helpers/state.js';

if (!hasTmux()) throw new Error('tmux is required for the end-to-end tests (.ci/run installs it)');

let session: TmuxSession | null = null;
let dir: string | null = null;
cleanUpAfterEach(afterEach, () => [dir]);

const PROMPT = 'tt$ ';
const SHOWN = PROMPT.trim(); // capture-pane drops trailing blanks
const PANES = (s: string): boolean => ['1 Teammates', '2 Tasks', '3 Mailbox', '4 Alerts'].every((p) => s.includes(p));
/** The whole frame: the header, every pane, the footer. */
const FRAME = (s: string): boolean => PANES(s) && s.includes('teamtop │') && s.includes('? help · q quit');

const processState = (pid: number): string => {
  try {
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // gone
  }
};
const file = (path: string): string | null => (existsSync(path) ? readFileSync(path, 'utf8') : null);

/** An interactive shell (job control) in a pane, with a recognisable prompt. */
async function shell(tag: string): Promise<TmuxSession> {
  dir = tempDir();
  session = new TmuxSession(tag);
  // PS1 by env(1): the shell tmux runs the command with would drop it from the environment.
  session.start(['env', `PS1=${PROMPT}`, 'HISTFILE=/dev/null', 'bash', '--norc', '--noprofile', '-i'], 100, 30);
  await session.waitFor((x) => x.includes(SHOWN));
  return session;
}

let marks = 0;
/** Runs a command line in the pane's shell and waits until it is done. */
async function sh(s: TmuxSession, line: string): Promise<string> {
  const mark = ++marks;
  // Quoted apart, so the typed line does not already show what the output will.
  s.type(`${line}; echo "DONE""-${mark}"`);
  s.keys('Enter');
  return s.waitFor((x) => new RegExp(`^DONE-${mark}$`, 'm').test(x));
}

/** The shell has the terminal as it had before teamtop started. */
async function shellHasTerminal(s: TmuxSession, stty: string, tag: string): Promise<void> {
  expect(s.display('#{alternate_on}')).toBe('0');
  expect(s.display('#{cursor_flag}')).toBe('1');
  const now = join(dir!, `stty-${tag}`);
  await sh(s, `stty -g > ${now}`);
  expect(file(now)).toBe(stty);
}

/**
 * A team whose frame changes only when the minute does: every time in it is on a whole minute,
 * so every age, the header's clock and every alert's age turn over together, at second 0.
 */
function quietRoot(): string {
  const root = join(dir!, 'state');
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const ago = (m: number): string => iso(minute - m * 60_000);
  writeTeam(root, 'quiet', {
    team: { team_status: 'active', created_at: ago(300), lead: { id: 'lead', last_heartbeat: ago(2), status: 'monitoring' } },
    teammates: [
      { id: 'tm_a', name: 'A', status: 'active', last_heartbeat: ago(3), context_tokens_used: 1000, context_tokens_max: 200000 },
      { id: 'tm_b', name: 'B', status: 'active', last_heartbeat: ago(15), context_tokens_used: 1000, context_tokens_max: 200000 },
      { id: 'tm_c', name: 'C', status: 'active', last_heartbeat: ago(95), context_tokens_used: 1000, context_tokens_max: 200000 },
    ],
  });
  return root;
}

/** Starts teamtop from the shell; returns the shell's `stty -g` from before, and teamtop's pid. */
async function startTeamtop(s: TmuxSession, args = '--demo --static'): Promise<{ stty: string; pid: number }> {
  const before = join(dir!, 'stty-before');
  await sh(s, `stty -g > ${before}`);
  s.type(`"${process.execPath}" "${BIN}" ${args}`);
  s.keys('Enter');
  await s.waitFor(FRAME);
  await until(() => s.display('#{alternate_on}') === '1', 'the alternate screen');
  return { stty: file(before)!, pid: paneProcess(s) };
}

/** After the stop: a stopped job, the shell's prompt on its own screen, its terminal settings. */
async function expectStopped(s: TmuxSession, t: { stty: string; pid: number }): Promise<void> {
  const screen = await s.waitFor((x) => /Stopped/.test(x) && x.trimEnd().endsWith(SHOWN));
  expect(screen).not.toContain('1 Teammates');
  await until(() => processState(t.pid).startsWith('T'), 'teamtop to be stopped');
  await shellHasTerminal(s, t.stty, 'stopped');
  expect(processState(t.pid)).toMatch(/^T/);
}

/**
 * `fg`: the whole frame again on the alternate screen, the cursor hidden, the keys working; then q.
 * `quiet`: the frame cannot change for the next 15 s (quietRoot, away from a minute boundary), so
 * only a repaint on resume can show it — the next render would come too late.
 */
async function expectResumed(s: TmuxSession, t: { stty: string; pid: number }, quiet = false): Promise<void> {
  if (quiet) await until(() => { const sec = new Date().getSeconds(); return sec >= 1 && sec <= 40; }, 'a moment 20 s before the minute turns over', 30_000);
  s.type('fg');
  s.keys('Enter');
  await until(() => s.display('#{alternate_on}') === '1', 'the alternate screen again');
  const screen = await s.waitFor(FRAME, 15_000);
  expect(screen).not.toContain(SHOWN);
  expect(screen).not.toContain('Stopped');
  expect(s.display('#{cursor_flag}')).toBe('0');
  expect(processState(t.pid)).not.toMatch(/^T/);
  // Raw mode is back: a single key, with no Enter, opens the help.
  s.type('?');
  await s.waitFor((x) => x.includes('Help — '));
  // q closes the help, a second q quits.
  s.type('q');
  await s.waitFor((x) => FRAME(x) && !x.includes('Help — '));
  s.type('q');
  await s.waitFor((x) => x.trimEnd().endsWith(SHOWN) && !x.includes('Help — '));
  const screen2 = await sh(s, 'echo "CODE=$?"');
  expect(screen2).toMatch(/^CODE=0$/m);
  await shellHasTerminal(s, t.stty, 'after');
}

describe('suspend and resume', () => {
  it('Ctrl-Z stops teamtop with the terminal restored; fg repaints it and the keys work', async () => {
    const s = await shell('ctrlz');
    const t = await startTeamtop(s);
    s.keys('C-z');
    await expectStopped(s, t);
    await expectResumed(s, t);
  });

  it('fg repaints the whole frame at once, not at the next change', async () => {
    const s = await shell('repaint');
    const t = await startTeamtop(s, `--root "${quietRoot()}"`);
    s.keys('C-z');
    await expectStopped(s, t);
    await expectResumed(s, t, true);
  }, 60_000); // it may wait up to 20 s for the moment to resume

  it('kill -TSTP does the same', async () => {
    const s = await shell('tstp');
    const t = await startTeamtop(s);
    process.kill(t.pid, 'SIGTSTP');
    await expectStopped(s, t);
    await expectResumed(s, t);
  });

  it('suspends again after a resume', async () => {
    const s = await shell('twice');
    const t = await startTeamtop(s);
    s.keys('C-z');
    await expectStopped(s, t);
    s.type('fg');
    s.keys('Enter');
    await s.waitFor(FRAME);
    await until(() => s.display('#{alternate_on}') === '1', 'the alternate screen again');
    process.kill(t.pid, 'SIGTSTP');
    await expectStopped(s, t);
    await expectResumed(s, t);
  });

  it('without job control (teamtop as the pane\'s own command) Ctrl-Z does not stop it for good', async () => {
    dir = tempDir();
    const before = join(dir, 'stty-before');
    const after = join(dir, 'stty-after');
    session = new TmuxSession('orphan');
    // No interactive shell: nothing could continue a stopped teamtop. The kernel discards
    // SIGTSTP for such an orphaned process group; SIGSTOP would stop it for ever.
    session.start(['bash', '-c', `stty -g > ${before}; "${process.execPath}" "${BIN}" --demo --static; code=$?; stty -g > ${after}; echo "CODE=$code"`], 100, 30);
    const s = session;
    await s.waitFor(FRAME);
    const pid = paneProcess(s);
    s.keys('C-z');
    s.type('?');
    await s.waitFor((x) => x.includes('Help — '));
    expect(processState(pid)).not.toMatch(/^T/);
    expect(s.display('#{alternate_on}')).toBe('1');
    s.type('q'); // closes the help
    await s.waitFor((x) => FRAME(x) && !x.includes('Help — '));
    s.type('q');
    const screen = await s.waitFor((x) => /CODE=\d+/.test(x));
    expect(screen).toContain('CODE=0');
    await until(() => file(after) !== null && file(after)!.length > 0, 'stty -g after');
    expect(file(after)).toBe(file(before));
    expect(s.display('#{alternate_on}')).toBe('0');
    expect(s.display('#{cursor_flag}')).toBe('1');
  });
});
