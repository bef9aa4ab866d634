// A Claude Code teammate's tmux pane, on real tmux servers of this test's own (TMUX_TMPDIR is a
// fresh directory for every test run, see test/setup/isolate.ts): a pane that is gone makes the
// teammate dead whatever `isActive` says; no tmux to ask is "unknown", never dead; and from
// teamtop running inside tmux, `p` goes to the selected teammate's pane.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareDemo } from '../src/demo/prepare.js';
import { BIN, runCli } from './helpers/cli.js';
import { removeDir, tempDir } from './helpers/state.js';

const SESSION = 'session-1a2b3c4d';
let demo: string;
let claude: string;
let state: string;
const servers = new Set<string>();

/** tmux on the default server of this run's socket directory, or on a named one. */
function tmux(args: string[], server?: string): string {
  if (server) servers.add(server);
  return execFileSync('tmux', [...(server ? ['-L', server] : []), '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function killAll(): void {
  for (const s of [...servers, '']) {
    try {
      tmux(['kill-server'], s || undefined);
    } catch {
      // not running
    }
  }
  servers.clear();
}

function setPane(member: string, pane: string): void {
  const file = join(claude, 'teams', SESSION, 'config.json');
  const cfg = JSON.parse(readFileSync(file, 'utf8'));
  cfg.members.find((m: { name: string }) => m.name === member).tmuxPaneId = pane;
  writeFileSync(file, JSON.stringify(cfg));
}

const check = () => runCli(['check', '--claude-dir', claude, '--team', SESSION], { env: { XDG_STATE_HOME: state } });

async function until<T>(fn: () => T, ok: (v: T) => boolean, what: string): Promise<T> {
  const end = Date.now() + 15_000;
  for (;;) {
    const v = fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${String(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeEach(async () => {
  demo = await prepareDemo();
  claude = join(demo, '.claude');
  state = tempDir('teamtop-tmux-state-');
});
afterEach(async () => {
  killAll();
  removeDir(demo);
  // A teamtop the closing server hung up on may still be finishing a save of its kept copy.
  for (let i = 0; ; i++) {
    try {
      removeDir(state);
      break;
    } catch (e) {
      if (i >= 30) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});
afterAll(killAll);

describe('liveness from tmux', () => {
  it('a teammate with isActive true whose pane is gone is dead; with its pane alive it is not', () => {
    tmux(['new-session', '-d', '-s', 'work', 'sleep 600']);
    const r = check();
    expect(r.stdout).toMatch(/CRIT {2}teammate-dead +db-migrator: tmux pane %9137 gone \(asked the default server\) \(dead\)/);
    const pane = tmux(['display-message', '-p', '-t', 'work', '#{pane_id}']);
    setPane('db-migrator', pane);
    const alive = check();
    expect(alive.stdout).not.toContain('teammate-dead');
    // Its transcript stopped 40 min ago: activity still ages (a pane that runs is no heartbeat).
    expect(alive.stdout).toMatch(/teammate-stale +db-migrator/);
  });

  it('no tmux server to ask is unknown, never dead', () => {
    const r = check();
    expect(r.stdout).not.toContain('teammate-dead');
    const j = JSON.parse(runCli(['check', '--claude-dir', claude, '--team', SESSION, '--json'], { env: { XDG_STATE_HOME: state } }).stdout);
    expect(j.teams[0].alerts.some((a: { kind: string; subject: string[] }) => a.kind === 'teammate-stale' && a.subject[0] === 'db-migrator')).toBe(true);
  });
});

describe('going to a teammate\'s pane', () => {
  it('p selects the pane of the selected teammate, from teamtop running inside tmux; the help lists p only there', async () => {
    // The teammate's pane in window 0; teamtop in window 1 of the same session.
    tmux(['new-session', '-d', '-s', 'team', '-x', '150', '-y', '45', 'sleep 600']);
    const pane = tmux(['display-message', '-p', '-t', 'team:0', '#{pane_id}']);
    setPane('db-migrator', pane);
    tmux(['new-window', '-t', 'team', '-e', `XDG_STATE_HOME=${state}`, `${process.execPath} ${BIN} --claude-dir ${claude} --team ${SESSION}; sleep 600`]);
    // A client attached to the session (tmux moves a client), from a second server.
    tmux(['new-session', '-d', '-s', 'outer', '-x', '150', '-y', '45', 'env -u TMUX tmux -f /dev/null attach -t team'], 'tt-outer');
    await until(() => tmux(['list-clients', '-F', '#{client_name}']), (s) => s !== '', 'the client to attach');
    const screen = () => tmux(['capture-pane', '-p', '-t', 'team:1']);
    await until(screen, (s) => s.includes('1 Teammates'), 'teamtop to start');
    expect(tmux(['display-message', '-p', '-t', 'team', '#{window_index}'])).toBe('1');
    tmux(['send-keys', '-t', 'team:1', '?']);
    await until(screen, (s) => s.includes('go to the selected teammate\'s tmux pane'), 'the help to list p');
    tmux(['send-keys', '-t', 'team:1', 'Escape']);
    tmux(['send-keys', '-t', 'team:1', '/']);
    tmux(['send-keys', '-t', 'team:1', '-l', 'db-mig']);
    tmux(['send-keys', '-t', 'team:1', 'Enter']);
    await until(screen, (s) => s.includes('/db-mig'), 'the filter');
    tmux(['send-keys', '-t', 'team:1', 'p']);
    await until(() => tmux(['display-message', '-p', '-t', 'team', '#{window_index} #{pane_id}']), (s) => s === `0 ${pane}`, 'the pane to be selected');
  });

  it('outside tmux p says there is no pane to go to, and the help does not list it', async () => {
    // teamtop in a tmux pane, but started with TMUX unset: it does not run "inside tmux".
    tmux(['new-session', '-d', '-s', 'plain', '-x', '150', '-y', '45', '-e', `XDG_STATE_HOME=${state}`, `env -u TMUX ${process.execPath} ${BIN} --claude-dir ${claude} --team ${SESSION}; sleep 600`]);
    const screen = () => tmux(['capture-pane', '-p', '-t', 'plain']);
    await until(screen, (s) => s.includes('1 Teammates'), 'teamtop to start');
    tmux(['send-keys', '-t', 'plain', 'p']);
    await until(screen, (s) => s.includes('not running inside tmux'), 'the message');
    tmux(['send-keys', '-t', 'plain', '?']);
    const help = await until(screen, (s) => s.includes('Help'), 'the help');
    expect(help).not.toContain('tmux pane (when');
  });
});
