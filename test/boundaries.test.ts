// Where teamtop writes: only the state root, the team's repo and its own log file; and nothing
// at all under --readonly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { prepareDemo } from '../src/demo/prepare.js';
import { join, relative } from 'node:path';
import { runCli, BIN } from './helpers/cli.js';
import { TmuxSession } from './helpers/tmux.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';
import { initRepo, makeWork, git } from './helpers/repo.js';

let sandbox: string;
let home: string;
let tmp: string;
let cwd: string;
let repo: string;
let root: string;
let session: TmuxSession | null = null;

/** Every file under dir with its size and mtime (a write shows as a change). */
function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[relative(dir, p)] = `${st.size}:${st.mtimeMs}:${readFileSync(p).toString('base64').slice(0, 64)}`;
    }
  };
  walk(dir);
  return out;
}

beforeEach(() => {
  sandbox = tempDir('teamtop-sandbox-');
  for (const d of ['home', 'tmp', 'cwd']) mkdirSync(join(sandbox, d));
  [home, tmp, cwd] = ['home', 'tmp', 'cwd'].map((d) => join(sandbox, d)) as [string, string, string];
  repo = join(sandbox, 'repo');
  mkdirSync(repo);
  initRepo(repo);
  makeWork(repo);
  root = join(sandbox, 'state');
  mkdirSync(root);
  const now = Date.now();
  writeTeam(root, 'crew', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) }, base_ref: 'main', repo },
    teammates: [{ id: 'tm_a', last_heartbeat: iso(now - 20 * 60_000) }, { id: 'tm_b', last_heartbeat: iso(now) }],
    manifest: [
      { id: 'A', assigned_to: 'tm_a', status: 'blocked', depends_on: ['B'] },
      { id: 'B', assigned_to: 'tm_b', status: 'blocked', depends_on: ['A'] },
    ],
    mailbox: [{ sequence: 1, timestamp: iso(now - 120_000), from: 'lead', to: 'tm_a', type: 'message', ack_required: true, payload: 'hi' }],
  });
});
afterEach(() => {
  session?.kill();
  session = null;
  removeDir(sandbox);
});

const env = (): NodeJS.ProcessEnv => ({ HOME: home, TMPDIR: tmp, XDG_STATE_HOME: '', TEAMTOP_LOG: '' });

describe('write boundaries', () => {
  it('actions write only in the state root and the team\'s repo, never in HOME, TMPDIR or the working directory', () => {
    const outside = (): Record<string, string> => ({ ...listing(home), ...listing(tmp), ...listing(cwd) });
    const before = outside();
    for (const args of [
      ['act', 'wake', 'tm_a'], ['act', 'resend', 'tm_a'], ['act', 'break-cycle'], ['act', 'reassign', 'A', '--to', 'tm_b', '--yes'],
      ['act', 'complete', 'B', '--reason', 'lead override'], ['act', 'halt'], ['act', 'resume'],
      ['act', 'abort', '--reason', 'test', '--yes'], ['act', 'undo-abort', '--yes'], ['check'],
    ]) {
      const r = runCli([...args, '--team', 'crew', '--root', root], { env: env(), cwd });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBeLessThanOrEqual(1);
    }
    expect(outside()).toEqual(before);
    // And they did write where they should: the state root and the repo's refs.
    expect(readdirSync(join(root))).toContain(readdirSync(root).find((d) => d.startsWith('crew.ABORTED-')));
    expect(git(repo, 'for-each-ref', '--format=%(refname)', 'refs/teamtop/backup/')).toMatch(/crew-/);
  });

  it('on a Claude Code team, actions write only in the Claude Code directory and teamtop\'s state directory', async () => {
    const claude = join(sandbox, 'claude');
    const demo = await prepareDemo();
    cpSync(join(demo, '.claude'), claude, { recursive: true });
    removeDir(demo);
    const xdg = join(sandbox, 'xdg');
    const outside = (): Record<string, string> => ({ ...listing(home), ...listing(tmp), ...listing(cwd), ...listing(root) });
    const before = outside();
    for (const args of [['check'], ['act', 'wake', 'cc-tester', '--team', 'proxy-analysis'], ['act', 'break-cycle', '--team', 'proxy-analysis'], ['check', '--team', 'session-1a2b3c4d']]) {
      const r = runCli([...args, '--claude-dir', claude], { env: { ...env(), XDG_STATE_HOME: xdg }, cwd });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBeLessThanOrEqual(1);
    }
    expect(outside()).toEqual(before);
    expect(readdirSync(join(xdg, 'teamtop', 'claude'))).toHaveLength(1);
  });

  it('--readonly: no key writes anything, anywhere', async () => {
    const before = { ...listing(root), ...listing(home), ...listing(tmp), ...listing(cwd) };
    const refs = git(repo, 'for-each-ref');
    session = new TmuxSession('readonly');
    session.start(['bash', '-c', `cd "${cwd}" && exec "${process.execPath}" "${BIN}" --root "${root}" --readonly`], 120, 40, { HOME: home, TMPDIR: tmp });
    await session.waitFor((s) => s.includes('4 Alerts') && s.includes('[read-only]'));
    // Every action and writing key, from the panes they work in.
    const tries: Array<[string, string]> = [['1', 'w'], ['1', 'r'], ['1', 'R'], ['2', 'c'], ['2', 'b'], ['4', 'a'], ['4', 'h'], ['4', 'A'], ['4', 'U'], ['4', 'P'], ['4', 'L']];
    for (const [pane, key] of tries) {
      session.type(pane);
      session.type(key);
      await new Promise((r) => setTimeout(r, 150));
      session.keys('Escape');
      await new Promise((r) => setTimeout(r, 100));
    }
    const screen = session.capture();
    expect(screen).not.toContain('this will:');
    session.type('q');
    await session.waitFor((s) => /EXITED=\d+/.test(s));
    expect({ ...listing(root), ...listing(home), ...listing(tmp), ...listing(cwd) }).toEqual(before);
    expect(git(repo, 'for-each-ref')).toBe(refs);
  });
});
