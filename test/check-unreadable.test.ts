// `teamtop check` on a root where a team directory, or the root itself, has no read permission
// (chmod 000): the real thing, run as an unprivileged user. As root (which permissions do not
// stop) a copy of the built program, in a directory everyone can read (the checkout may not be),
// runs as nobody through setpriv (util-linux, on every Debian). test/unreadable-root.test.ts
// simulates the denials for every format.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT, runCli } from './helpers/cli.js';
import { removeDir, tempDir } from './helpers/state.js';

const asRoot = process.getuid?.() === 0;

/** As root: the built program (dist/ and package.json) copied where nobody can read it. */
let app: string | null = null;
beforeAll(() => {
  if (!asRoot) return;
  if (spawnSync('setpriv', ['--version']).status !== 0) throw new Error('running as root, these tests need setpriv (util-linux) to run teamtop as nobody');
  app = tempDir('teamtop-perm-app-');
  cpSync(join(PROJECT, 'dist'), join(app, 'dist'), { recursive: true });
  cpSync(join(PROJECT, 'package.json'), join(app, 'package.json'));
  spawnSync('chmod', ['-R', 'a+rX', app]);
});
afterAll(() => { if (app) removeDir(app); });

/** The CLI, as nobody when the tests run as root. */
function runUnprivileged(args: string[], env: NodeJS.ProcessEnv): ReturnType<typeof runCli> {
  if (!asRoot) return runCli(args, { env });
  return spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(app!, 'dist', 'main.js'), ...args], {
    encoding: 'utf8', cwd: app!, env: { ...process.env, ...env }, input: '', timeout: 60_000,
  });
}

let base: string;
afterEach(() => {
  for (const d of [base, join(base, 'state'), join(base, 'state', 'alpha-silent')]) if (existsSync(d)) chmodSync(d, 0o755);
  removeDir(base);
});

/** A copy of the sample teams every user can read, and a state directory every user can write. */
function sample(): { root: string; env: NodeJS.ProcessEnv } {
  base = tempDir('teamtop-perm-');
  chmodSync(base, 0o755);
  const root = join(base, 'state');
  cpSync(join(PROJECT, 'demo-state'), root, { recursive: true });
  const xdg = join(base, 'xdg');
  mkdirSync(xdg, { mode: 0o777 });
  chmodSync(xdg, 0o777);
  return { root, env: { XDG_STATE_HOME: xdg } };
}

describe('check on a team directory or a root without read permission', () => {
  it('names the team directory with the reason on stderr and in root_errors, exits 2; the other teams are checked', () => {
    const { root, env } = sample();
    const team = join(root, 'alpha-silent');
    chmodSync(team, 0o000);
    const line = `teamtop check: ${team}: cannot read: EACCES: permission denied, opendir '${team}'`;
    const text = runUnprivileged(['check', root], env);
    expect(text.status).toBe(2);
    expect(text.stderr.trim()).toBe(line);
    expect(text.stdout).toMatch(/^beta-cycle /);
    const json = runUnprivileged(['check', root, '--json'], env);
    expect(json.status).toBe(2);
    const j = JSON.parse(json.stdout) as { teams: Array<{ team_id: string }>; root_errors: Array<{ file: string; message: string }> };
    expect(j.teams.map((t) => t.team_id)).toEqual(['beta-cycle', 'delta-consolidation', 'gamma-healthy']);
    expect(j.root_errors).toEqual([{ file: team, message: `cannot read: EACCES: permission denied, opendir '${team}'` }]);
    // Named: it is there, it cannot be read (not "no team").
    const named = runUnprivileged(['check', root, '--team', 'alpha-silent'], env);
    expect(named.status).toBe(2);
    expect(named.stderr).toContain(`teamtop: team "alpha-silent" cannot be read: ${team}: cannot read: EACCES: permission denied`);
    // A check of another team: a warning, as documented.
    const other = runUnprivileged(['check', root, '--team', 'gamma-healthy'], env);
    expect(other.status).not.toBe(2);
    expect(other.stderr.trim()).toBe(line.replace('teamtop check: ', 'teamtop check: warning: '));
  });

  it('a root that cannot be listed: one line with the reason, exit 2', () => {
    const { root, env } = sample();
    chmodSync(root, 0o000);
    const r = runUnprivileged(['check', root], env);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`teamtop: state root ${root}: cannot read: EACCES: permission denied, scandir '${root}'`);
  });
});
