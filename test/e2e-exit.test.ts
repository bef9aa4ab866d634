// Every exit path leaves the terminal as it found it: termios (raw mode off), the cursor visible,
// the alternate screen left. An internal error prints one short message and the log's path.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from './helpers/cli.js';
import { TmuxSession, hasTmux, cleanUpAfterEach } from './helpers/tmux.js';
import { tempDir } from './helpers/state.js';

if (!hasTmux()) throw new Error('tmux is required for the end-to-end tests (.ci/run installs it)');

let session: TmuxSession | null = null;
let dir: string | null = null;
cleanUpAfterEach(afterEach, () => [dir]);

const PANES = (s: string): boolean => ['1 Teammates', '2 Tasks', '3 Mailbox', '4 Alerts'].every((p) => s.includes(p));

/** Runs teamtop in a pane between two `stty -g` snapshots; returns a handle. */
async function launch(tag: string, env: Record<string, string> = {}): Promise<{ s: TmuxSession; before: string; after: string; log: string }> {
  dir = tempDir();
  const before = join(dir, 'stty-before');
  const after = join(dir, 'stty-after');
  const log = join(dir, 'teamtop.log');
  // The after-snapshot is written before CODE= is printed: waiting for CODE= then waits for it too.
  const script = `stty -g > ${before}; "${process.execPath}" "${BIN}" --demo --static; code=$?; stty -g > ${after}; echo "CODE=$code"`;
  session = new TmuxSession(tag);
  session.start(['bash', '-c', script], 100, 30, { TEAMTOP_LOG: log, ...env });
  if (!env.TEAMTOP_FAULT) await session.waitFor(PANES);
  return { s: session, before, after, log };
}

/** The node process among the pane's descendants (the pane runs shells around it). */
function nodePid(s: TmuxSession): number {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => l.trim().split(/\s+/)).map(([pid, ppid, comm]) => ({ pid: Number(pid), ppid: Number(ppid), comm }));
  const mine = new Set([Number(s.display('#{pane_pid}'))]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) if (mine.has(r.ppid) && !mine.has(r.pid)) { mine.add(r.pid); grew = true; }
  }
  const node = rows.find((r) => mine.has(r.pid) && r.comm === 'node');
  if (!node) throw new Error('no node process in the pane');
  return node.pid;
}

function restored(h: { s: TmuxSession; before: string; after: string }): void {
  expect(existsSync(h.after)).toBe(true);
  expect(readFileSync(h.after, 'utf8')).toBe(readFileSync(h.before, 'utf8'));
  expect(h.s.display('#{alternate_on}')).toBe('0');
  expect(h.s.display('#{cursor_flag}')).toBe('1');
}

describe('exit paths', () => {
  it.each([
    ['q', (s: TmuxSession) => s.type('q'), 0],
    ['Ctrl-C', (s: TmuxSession) => s.keys('C-c'), 0],
    ['SIGTERM', (s: TmuxSession) => process.kill(nodePid(s), 'SIGTERM'), 143],
    ['SIGHUP (the pane closing)', (s: TmuxSession) => process.kill(nodePid(s), 'SIGHUP'), 129],
  ] as const)('%s restores the terminal', async (_name, quit, code) => {
    const h = await launch(`exit${code}`);
    quit(h.s);
    const screen = await h.s.waitFor((x) => /CODE=\d+/.test(x));
    expect(screen).toContain(`CODE=${code}`);
    expect(screen).not.toContain('1 Teammates');
    restored(h);
  });

  it.each([['uncaught'], ['render']])('an internal error (%s) prints one short message and the log path, and restores the terminal', async (fault) => {
    const h = await launch(`crash-${fault}`, { TEAMTOP_FAULT: fault });
    if (fault === 'render') {
      await h.s.waitFor(PANES);
      h.s.type('j'); // the next render throws
    }
    const screen = await h.s.waitFor((x) => /CODE=\d+/.test(x));
    expect(screen).toContain('CODE=1');
    expect(screen).toContain(`teamtop: internal error: injected fault (TEAMTOP_FAULT=${fault})`);
    expect(screen).toContain(`the stack trace is in ${h.log}`);
    // No stack or React trace on the screen, no pane debris: the stack is in the log.
    expect(screen).not.toMatch(/^\s+at /m);
    expect(screen).not.toContain('1 Teammates');
    expect(readFileSync(h.log, 'utf8')).toMatch(/injected fault[\s\S]*\n\s+at /);
    restored(h);
  });
});
