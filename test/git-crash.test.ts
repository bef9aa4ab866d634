// A rollback SIGKILLed at any point (a real kill of a child process running the built code) is
// completed by running it again: nothing is lost, the backup ref still restores the state before
// the abort exactly, and the state root is untouched. The child kills itself at a named point
// (TEAMTOP_TEST_CRASH_AT), or is killed from outside at random moments.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { build } from 'esbuild';
import { bundleOptions } from '../scripts/build.mjs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyGitEffect } from '../src/git/effects.js';
import type { Effect } from '../src/ports/effects.js';
import { git, gitView, isolateGit, put, realTempDir, snapshotTree } from './helpers/repo.js';

isolateGit({ beforeAll, afterAll });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// The child runs src/git/effects.ts bundled the way the program is (scripts/build.mjs), built here
// from the current sources so it can never be stale.
let DIST = '';
let bundleDir = '';
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));
beforeAll(async () => {
  bundleDir = realTempDir();
  await build({ ...bundleOptions(['src/git/effects.ts'], bundleDir), splitting: false });
  DIST = join(bundleDir, 'effects.js');
});

const child = (): string => `
const { applyGitEffect } = await import(${JSON.stringify(pathToFileURL(DIST).href)});
await applyGitEffect(JSON.parse(process.env.TT_EFFECT), {}, JSON.parse(process.env.TT_PROTECT));
`;

function childEnv(e: Effect, protect: string[], crashAt?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TT_EFFECT: JSON.stringify(e), TT_PROTECT: JSON.stringify(protect) };
  if (crashAt) env.TEAMTOP_TEST_CRASH_AT = crashAt;
  else delete env.TEAMTOP_TEST_CRASH_AT;
  return env;
}

/** Runs one effect in a child that SIGKILLs itself at `crashAt`. */
function runKilled(e: Effect, protect: string[], crashAt: string): void {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', child()], { env: childEnv(e, protect, crashAt), encoding: 'utf8' });
  expect(r.signal, `${crashAt}: ${r.stderr}`).toBe('SIGKILL');
}

/** Runs one effect in a child and SIGKILLs it after `ms` (or lets it finish). */
function runKilledAfter(e: Effect, protect: string[], ms: number): Promise<string | null> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--input-type=module', '-e', child()], { env: childEnv(e, protect), stdio: 'ignore' });
    const t = setTimeout(() => p.kill('SIGKILL'), ms);
    p.on('exit', (_code, signal) => {
      clearTimeout(t);
      resolve(signal);
    });
  });
}

interface Setup {
  dir: string;
  root: string;
  protect: string[];
}

/** A team's work of every kind, many untracked files (so a clean can be killed half way). */
function setup(): Setup {
  const dir = realTempDir('teamtop-crash-');
  dirs.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  put(dir, '.gitignore', 'node_modules/\n*.log\n');
  put(dir, 'README.md', 'base\n');
  put(dir, 'app.js', 'console.log(1);\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const root = join(dir, '.team-state');
  put(root, 'web/team.json', '{"team_id":"web"}\n');
  put(root, 'web/mailbox.jsonl', '{"sequence":1}\n', 0o600);
  put(dir, 'node_modules/pkg/index.js', 'x\n');
  git(dir, 'checkout', '-q', '-b', 'team-work');
  put(dir, 'gen/.gitignore', 'out.txt\n');
  put(dir, '.gitattributes', '* text=auto\n');
  put(dir, 'feature.js', 'feature\r\n');
  git(dir, 'add', '-A', '--', '.', ':!.team-state');
  git(dir, 'commit', '-q', '-m', 'work');
  put(dir, 'gen/out.txt', 'ignored only by gen/.gitignore\n');
  put(dir, 'app.js', 'console.log(2);\n');
  put(dir, 'staged.js', 'staged\n');
  git(dir, 'add', 'staged.js');
  put(dir, 'secret.txt', 'secret\n', 0o600);
  symlinkSync('app.js', join(dir, 'link'));
  mkdirSync(join(dir, 'empty/nested'), { recursive: true });
  for (let i = 0; i < 60; i++) put(dir, `scratch/d${i % 6}/f${i}.txt`, `scratch ${i}\n`, i % 2 ? 0o644 : 0o640);
  return { dir, root, protect: [root, join(root, 'web')] };
}

const REF = 'refs/teamtop/backup/web-20260301T100000Z';
const PRE = 'refs/teamtop/backup/web-20260301T101000Z';

const backupEffect = (s: Setup): Effect => ({ kind: 'git-backup', repo: s.dir, ref: REF, message: 'before abort', team: 'web', rollbackTo: ['main'] });
const resetEffect = (s: Setup): Effect => ({ kind: 'git-reset', repo: s.dir, target: 'main', backupRef: REF });
const preEffect = (s: Setup): Effect => ({ kind: 'git-backup', repo: s.dir, ref: PRE, message: 'before undo', team: 'web', rollbackTo: [REF] });
const restoreEffect = (s: Setup): Effect => ({ kind: 'git-restore', repo: s.dir, ref: REF, backupRef: PRE });

async function apply(s: Setup, e: Effect): Promise<void> {
  await applyGitEffect(e as Extract<Effect, { kind: `git-${string}` }>, {}, s.protect);
}

/** After a (resumed) abort: the base, the ignored files, the state root, nothing else. */
function expectAborted(s: Setup, state: ReturnType<typeof snapshotTree>): void {
  expect(git(s.dir, 'rev-parse', 'HEAD')).toBe(git(s.dir, 'rev-parse', 'main'));
  expect(git(s.dir, 'status', '--porcelain', '--untracked-files=all', '--', '.', ':!.team-state')).toBe('');
  expect(Object.keys(snapshotTree(s.dir, ['.team-state', 'node_modules'])).sort()).toEqual(['.gitignore', 'README.md', 'app.js']);
  expect(snapshotTree(s.root)).toEqual(state);
}

describe('killed and resumed', () => {
  for (const point of ['reset:before-reset', 'reset:after-reset', 'reset:during-clean']) {
    it(`abort killed at ${point}, then run again: complete, nothing lost, the backup restores it exactly`, async () => {
      const s = setup();
      const tree = snapshotTree(s.dir);
      const view = gitView(s.dir);
      const state = snapshotTree(s.root);
      await apply(s, backupEffect(s));
      const saved = git(s.dir, 'rev-parse', `${REF}^{tree}`);
      runKilled(resetEffect(s), s.protect, point);
      if (point === 'reset:after-reset') {
        expect(git(s.dir, 'rev-parse', 'HEAD')).toBe(git(s.dir, 'rev-parse', 'main'));
        expect(existsSync(join(s.dir, 'scratch/d0/f0.txt'))).toBe(true); // not cleaned yet
      }
      if (point === 'reset:during-clean') {
        const left = Object.keys(snapshotTree(join(s.dir, 'scratch'))).length;
        expect(left).toBeGreaterThan(0);
        expect(left).toBeLessThan(60);
      }
      expect(snapshotTree(s.root)).toEqual(state);
      await apply(s, resetEffect(s));
      expectAborted(s, state);
      expect(git(s.dir, 'rev-parse', `${REF}^{tree}`)).toBe(saved); // the saved state is not made worse
      await apply(s, preEffect(s));
      await apply(s, restoreEffect(s));
      expect(snapshotTree(s.dir)).toEqual(tree);
      expect(gitView(s.dir)).toEqual(view);
    });
  }

  for (const point of ['restore:before-write', 'restore:after-write', 'restore:during-clean']) {
    it(`undo-abort killed at ${point}, then run again: the state before the abort, exactly`, async () => {
      const s = setup();
      const tree = snapshotTree(s.dir);
      const view = gitView(s.dir);
      const state = snapshotTree(s.root);
      await apply(s, backupEffect(s));
      await apply(s, resetEffect(s));
      // Junk the aborted tree got before the undo: the restore's clean removes it (saved first).
      for (let i = 0; i < 20; i++) put(s.dir, `junk/j${i}.txt`, `junk ${i}\n`);
      const aborted = snapshotTree(s.dir);
      await apply(s, preEffect(s));
      runKilled(restoreEffect(s), s.protect, point);
      expect(snapshotTree(s.root)).toEqual(state);
      await apply(s, restoreEffect(s));
      expect(snapshotTree(s.dir)).toEqual(tree);
      expect(gitView(s.dir)).toEqual(view);
      // And what the undo replaced is in PRE: restoring it gives the aborted tree back.
      await apply(s, { kind: 'git-backup', repo: s.dir, ref: 'refs/teamtop/backup/web-20260301T102000Z', message: 'm', team: 'web', rollbackTo: [PRE] });
      await apply(s, { kind: 'git-restore', repo: s.dir, ref: PRE, backupRef: 'refs/teamtop/backup/web-20260301T102000Z' });
      expect(snapshotTree(s.dir)).toEqual(aborted);
    });
  }

  it('abort killed at random moments, then run again: complete and restorable every time', async () => {
    for (const ms of [60, 130, 180, 230, 280, 340]) {
      const s = setup();
      const tree = snapshotTree(s.dir);
      const view = gitView(s.dir);
      const state = snapshotTree(s.root);
      await apply(s, backupEffect(s));
      await runKilledAfter(resetEffect(s), s.protect, ms);
      // A git process the kill orphaned may still hold index.lock for a moment.
      for (let i = 0; i < 100 && existsSync(join(s.dir, '.git', 'index.lock')); i++) await new Promise((r) => setTimeout(r, 20));
      await apply(s, resetEffect(s));
      expectAborted(s, state);
      await apply(s, preEffect(s));
      await apply(s, restoreEffect(s));
      expect(snapshotTree(s.dir), `killed after ${ms} ms`).toEqual(tree);
      expect(gitView(s.dir)).toEqual(view);
      rmSync(s.dir, { recursive: true, force: true });
    }
  });
});
