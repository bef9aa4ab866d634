// The protected directories (teamtop's state root, team directories) are decided on real paths and
// never touched by a rollback; a layout that cannot be made safe is refused before anything is
// written.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { applyGitEffect } from '../src/git/effects.js';
import { git, gitView, isolateGit, put, realTempDir, snapshotTree } from './helpers/repo.js';

isolateGit({ beforeAll, afterAll });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  put(dir, '.gitignore', '*.log\n');
  put(dir, 'README.md', 'base\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  git(dir, 'checkout', '-q', '-b', 'team-work');
}

function work(dir: string, exclude: string): void {
  put(dir, 'feature.js', 'feature\n');
  git(dir, 'add', '-A', '--', '.', `:!${exclude}`);
  git(dir, 'commit', '-q', '-m', 'work');
  put(dir, 'untracked.txt', 'untracked\n');
  put(dir, 'README.md', 'changed\n');
}

function stateIn(root: string): void {
  put(root, 'web/team.json', '{"team_id":"web"}\n');
  put(root, 'web/mailbox.jsonl', '{"sequence":1}\n');
  put(root, 'web/checkpoints/a.json', '{}\n', 0o600);
  put(root, 'other/team.json', '{}\n');
}

/** Every file under dir/.git with its size and mtime: nothing may be written there on a refusal. */
function gitDirListing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        out.push(`${relative(dir, p)} ${st.size} ${st.mtimeMs}`);
      }
    }
  };
  walk(join(dir, '.git'));
  return out.sort();
}

async function abortAndUndo(repo: string, protect: string[], check: () => void): Promise<void> {
  const ref = 'refs/teamtop/backup/web-20260301T100000Z';
  const pre = 'refs/teamtop/backup/web-20260301T101000Z';
  await applyGitEffect({ kind: 'git-backup', repo, ref, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, protect);
  await applyGitEffect({ kind: 'git-reset', repo, target: 'main', backupRef: ref }, {}, protect);
  check();
  await applyGitEffect({ kind: 'git-backup', repo, ref: pre, message: 'm', team: 'web', rollbackTo: [ref] }, {}, protect);
  await applyGitEffect({ kind: 'git-restore', repo, ref, backupRef: pre }, {}, protect);
  check();
}

describe('protected directories', () => {
  it('keeps a state root reached through a symlinked path byte for byte through abort and undo', async () => {
    const base = realTempDir('teamtop-prot-');
    dirs.push(base);
    const repo = join(base, 'repo');
    put(repo, '.keep', '');
    newRepo(repo);
    symlinkSync(repo, join(base, 'link'));
    // `--root /x/link/.team-state`, the repo itself found through the link too.
    const root = join(base, 'link', '.team-state');
    stateIn(root);
    work(repo, '.team-state');
    const state = snapshotTree(join(repo, '.team-state'));
    const tree = snapshotTree(repo);
    await abortAndUndo(join(base, 'link'), [root, join(root, 'web')], () => {
      expect(snapshotTree(join(repo, '.team-state'))).toEqual(state);
    });
    expect(snapshotTree(repo)).toEqual(tree);
  });

  it('refuses a team directory that is the repository top before writing any ref, object or file', async () => {
    const base = realTempDir('teamtop-prot-');
    dirs.push(base);
    const root = join(base, 'state');
    const teamDir = join(root, 'web'); // team.json "repo": "."
    put(teamDir, 'team.json', '{"team_id":"web","repo":"."}\n');
    newRepo(teamDir);
    work(teamDir, 'team.json');
    symlinkSync(teamDir, join(base, 'team-link'));
    const tree = snapshotTree(teamDir);
    const view = gitView(teamDir);
    const listing = gitDirListing(teamDir);
    for (const protect of [[root, teamDir], [root, join(base, 'team-link')], [join(base, 'team-link')]]) {
      const ref = 'refs/teamtop/backup/web-20260301T100000Z';
      await expect(applyGitEffect({ kind: 'git-backup', repo: teamDir, ref, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, protect))
        .rejects.toThrow(/is the top of that git work tree itself/);
      await expect(applyGitEffect({ kind: 'git-reset', repo: teamDir, target: 'main', backupRef: ref }, {}, protect)).rejects.toThrow();
      expect(git(teamDir, 'for-each-ref', 'refs/teamtop/', 'refs/tags/')).toBe('');
      expect(gitDirListing(teamDir)).toEqual(listing);
      expect(snapshotTree(teamDir)).toEqual(tree);
      expect(gitView(teamDir)).toEqual(view);
    }
  });

  it('keeps a protected directory whose name has gitignore metacharacters', async () => {
    const base = realTempDir('teamtop-prot-');
    dirs.push(base);
    newRepo(base);
    const root = join(base, 'st*te [x]? !#\\ ');
    stateIn(root);
    work(base, relative(base, root));
    const state = snapshotTree(root);
    const tree = snapshotTree(base);
    await abortAndUndo(base, [root, join(root, 'web')], () => expect(snapshotTree(root)).toEqual(state));
    expect(snapshotTree(base)).toEqual(tree);
  });

  it('keeps a protected directory inside an untracked directory whose other files go', async () => {
    const base = realTempDir('teamtop-prot-');
    dirs.push(base);
    newRepo(base);
    const root = join(base, 'tools', 'state');
    stateIn(root);
    put(base, 'tools/junk.txt', 'junk\n');
    work(base, 'tools');
    const state = snapshotTree(root);
    const tree = snapshotTree(base);
    const ref = 'refs/teamtop/backup/web-20260301T100000Z';
    await applyGitEffect({ kind: 'git-backup', repo: base, ref, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, [root]);
    await applyGitEffect({ kind: 'git-reset', repo: base, target: 'main', backupRef: ref }, {}, [root]);
    expect(snapshotTree(root)).toEqual(state);
    expect(Object.keys(snapshotTree(join(base, 'tools'))).filter((p) => !p.startsWith('state/'))).toEqual([]);
    const pre = 'refs/teamtop/backup/web-20260301T101000Z';
    await applyGitEffect({ kind: 'git-backup', repo: base, ref: pre, message: 'm', team: 'web', rollbackTo: [ref] }, {}, [root]);
    await applyGitEffect({ kind: 'git-restore', repo: base, ref, backupRef: pre }, {}, [root]);
    expect(snapshotTree(root)).toEqual(state);
    expect(snapshotTree(base)).toEqual(tree);
  });

  it('refuses, before writing anything, when the rollback target tracks files in the state root', async () => {
    const base = realTempDir('teamtop-prot-');
    dirs.push(base);
    git(base, 'init', '-q', '-b', 'main');
    git(base, 'config', 'user.name', 'Test');
    git(base, 'config', 'user.email', 'test@example.com');
    put(base, 'README.md', 'base\n');
    put(base, '.team-state/web/team.json', '{"committed":"by mistake on main"}\n');
    git(base, 'add', '-A');
    git(base, 'commit', '-q', '-m', 'base');
    git(base, 'checkout', '-q', '-b', 'team-work');
    git(base, 'rm', '-q', '-r', '--cached', '.team-state');
    git(base, 'commit', '-q', '-m', 'untrack the state');
    put(base, '.team-state/web/team.json', '{"live":true}\n');
    const root = join(base, '.team-state');
    const tree = snapshotTree(base);
    const listing = gitDirListing(base);
    await expect(applyGitEffect({ kind: 'git-backup', repo: base, ref: 'refs/teamtop/backup/web-20260301T100000Z', message: 'm', team: 'web', rollbackTo: ['main'] }, {}, [root, join(root, 'web')]))
      .rejects.toThrow(/tracks files in the state root \(\.team-state\)/);
    await expect(applyGitEffect({ kind: 'git-reset', repo: base, target: 'main', backupRef: 'refs/teamtop/backup/web-20260301T100000Z' }, {}, [root, join(root, 'web')]))
      .rejects.toThrow(/state root/);
    expect(snapshotTree(base)).toEqual(tree);
    expect(gitDirListing(base)).toEqual(listing);
  });

  it('refuses a repository inside the state root (a team directory\'s own repo) before writing anything', async () => {
    // Was "leaves a state root that contains the repository alone": a rollback of a repository
    // inside the state root cleans whatever of the state is in it, so it is refused now.
    const root = realTempDir('teamtop-prot-');
    dirs.push(root);
    put(root, 'web/team.json', '{"repo":"./repo"}\n');
    const repo = join(root, 'web', 'repo');
    put(repo, '.keep', '');
    newRepo(repo);
    work(repo, 'nothing-to-exclude');
    const team = snapshotTree(join(root, 'web'), ['repo']);
    const tree = snapshotTree(repo);
    const listing = gitDirListing(repo);
    const ref = 'refs/teamtop/backup/web-20260301T100000Z';
    await expect(applyGitEffect({ kind: 'git-backup', repo, ref, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, [root, join(root, 'web')]))
      .rejects.toThrow(/the repository .*repo is inside the state root .*: a rollback there could remove team state; keep repositories outside the state root/);
    await expect(applyGitEffect({ kind: 'git-reset', repo, target: 'main', backupRef: ref }, {}, [root, join(root, 'web')])).rejects.toThrow(/is inside the state root/);
    expect(snapshotTree(join(root, 'web'), ['repo'])).toEqual(team);
    expect(snapshotTree(repo)).toEqual(tree);
    expect(gitDirListing(repo)).toEqual(listing);
  });
});

describe('the checkpoint commit of a reassignment', () => {
  it('leaves the state root inside the repo out of the commit (it stays untracked, so a later abort works)', async () => {
    const base = realTempDir('teamtop-prot-');
    dirs.push(base);
    newRepo(base);
    const root = join(base, '.team-state');
    stateIn(root);
    put(base, 'work.js', 'work in progress\n');
    const r = await applyGitEffect({ kind: 'git-commit-wip', repo: base, message: 'wip' }, {}, [root, join(root, 'web')]);
    expect(r.detail).toMatchObject({ committed: true });
    expect(git(base, 'show', '--name-only', '--format=', 'HEAD')).toBe('work.js');
    expect(git(base, 'ls-files', '.team-state')).toBe('');
    await applyGitEffect({ kind: 'git-backup', repo: base, ref: 'refs/teamtop/backup/web-20260301T100000Z', message: 'm', team: 'web', rollbackTo: ['main'] }, {}, [root]);
  });
});
