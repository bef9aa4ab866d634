// An omc worker's tmux pane, on a real tmux server of this test's own (TMUX_TMPDIR is a fresh
// directory for every test run, see test/setup/isolate.ts): a pane that is gone makes the worker
// dead at once, whatever its heartbeat's age; a live pane does not; no tmux to ask decides nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT, runCli } from './helpers/cli.js';
import { removeDir, tempDir } from './helpers/state.js';

const FIXTURE = join(PROJECT, 'test', 'fixtures', 'omc');
const BUILT = Date.parse((JSON.parse(readFileSync(join(FIXTURE, 'meta.json'), 'utf8')) as { generated_at: string }).generated_at);
const CONFIG = join('.omc', 'state', 'team', 'cycle-team', 'config.json');

let project: string;
let state: string;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

beforeEach(() => {
  project = tempDir('teamtop-omc-panes-');
  state = tempDir('teamtop-omc-panes-state-');
  cpSync(join(FIXTURE, 'project'), project, { recursive: true });
});
afterEach(() => {
  try { tmux('kill-server'); } catch { /* not running */ }
  removeDir(project);
  removeDir(state);
});

function setPanes(panes: Record<string, string>, socket: string | null): void {
  const file = join(project, CONFIG);
  const cfg = JSON.parse(readFileSync(file, 'utf8')) as { workers: Array<{ name: string; pane_id?: string }>; tmux_server_identity?: unknown };
  for (const w of cfg.workers) if (panes[w.name]) w.pane_id = panes[w.name];
  if (socket) cfg.tmux_server_identity = { socket_path: socket, server_pid: 1, process_started_at: 'linux:1' };
  writeFileSync(file, JSON.stringify(cfg));
}

const check = () => runCli(['check', '--source', 'omc', '--root', project, '--at', new Date(BUILT + 60_000).toISOString()], { env: { XDG_STATE_HOME: state } });

describe('omc workers\' tmux panes', () => {
  it('on the server omc recorded, a gone pane is dead at once; a live pane is not', () => {
    tmux('new-session', '-d', '-s', 'team', '-x', '80', '-y', '20', 'sleep 600');
    const live = tmux('display-message', '-p', '-t', 'team', '#{pane_id}');
    setPanes({ 'worker-1': live, 'worker-3': '%999' }, tmux('display-message', '-p', '-t', 'team', '#{socket_path}'));
    const r = check();
    expect(r.stdout).toContain('worker-3: tmux pane %999 gone');
    expect(r.stdout).not.toContain('worker-1:');
  });

  it('no recorded server, or one that does not answer, is no proof: the heartbeat decides', () => {
    // A server is running, but omc did not record it as the team's: pane ids of another server
    // would say nothing about these workers.
    tmux('new-session', '-d', '-s', 'other', '-x', '80', '-y', '20', 'sleep 600');
    setPanes({ 'worker-3': '%999' }, null);
    expect(check().stdout).not.toContain('worker-3');
    setPanes({}, join(state, 'no-such-socket'));
    const r = check();
    expect(r.stdout).not.toContain('worker-3');
    expect(r.stdout).toContain('worker-2: no heartbeat for 1h31m (dead)');
  });
});
