// A temporary git repository with a team's work in every state git distinguishes: committed on a
// branch after the base, staged, modified, deleted and untracked.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, lstatSync } from 'node:fs';
import { join, relative } from 'node:path';

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }).trim();
}

export function initRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  writeFileSync(join(dir, 'README.md'), 'base\n');
  writeFileSync(join(dir, 'app.js'), 'console.log(1);\n');
  writeFileSync(join(dir, 'gone.txt'), 'will be deleted in the work tree\n');
  writeFileSync(join(dir, '.gitignore'), 'ignored.log\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
}

/** Team work on branch `team-work`: a commit after main, then staged/unstaged/untracked changes. */
export function makeWork(dir: string): void {
  git(dir, 'checkout', '-q', '-b', 'team-work');
  writeFileSync(join(dir, 'feature.js'), 'export const feature = 1;\n');
  git(dir, 'add', 'feature.js');
  git(dir, 'commit', '-q', '-m', 'feature work');
  writeFileSync(join(dir, 'staged.js'), 'staged\n');
  git(dir, 'add', 'staged.js');
  writeFileSync(join(dir, 'app.js'), 'console.log(2); // modified, not staged\n');
  git(dir, 'rm', '-q', '--cached', 'gone.txt');
  writeFileSync(join(dir, 'untracked.txt'), 'untracked\n');
  mkdirSync(join(dir, 'new-dir'), { recursive: true });
  writeFileSync(join(dir, 'new-dir', 'binary.bin'), Buffer.from([0, 1, 2, 255, 254, 0, 10]));
  writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(dir, 'run.sh'), 0o755);
  writeFileSync(join(dir, 'ignored.log'), 'ignored\n');
}

/** Every file under dir (except .git and `skip`), with its bytes and mode. */
export function snapshotTree(dir: string, skip: string[] = []): Record<string, { mode: number; bytes: string }> {
  const out: Record<string, { mode: number; bytes: string }> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (rel === '.git' || skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else out[rel] = { mode: statSync(p).mode & 0o777, bytes: readFileSync(p).toString('base64') };
    }
  };
  walk(dir);
  return out;
}
