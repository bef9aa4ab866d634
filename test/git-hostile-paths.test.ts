// A teammate who can run git in the repository can re-point a backup ref at a commit whose tree
// has an entry named `..` (git mktree accepts it), `.git` or `.GIT. `, edit the manifest, the
// saved index or the displaced content of a backup, or make base_ref such a commit. Every path
// that comes from a tree, an index or a manifest is checked before anything is written: a backup
// or target holding one is refused with an error naming the path, and nothing outside the work
// tree (nor anything inside it, nor any ref) changes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyGitEffect } from '../src/git/effects.js';
import { SafeTree } from '../src/git/safe-fs.js';
import { pathProblem } from '../src/git/safe-path.js';
import {
  addPathToCommit, blobBytes, git, gitBlob, gitTree, isolateGit, nestedEntry, put, realTempDir, repoState, rewriteObject, snapshotTree, teamRepo, treeEntries,
} from './helpers/repo.js';

isolateGit({ beforeAll, afterAll });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const REF = 'refs/teamtop/backup/web-20260301T100000Z';
const PRE = 'refs/teamtop/backup/web-20260301T101000Z';

interface World {
  base: string;
  repo: string;
  victim: string;
  protect: string[];
}

/** A repo with team work, a victim directory beside it, and a state root outside the repo. */
function world(): World {
  const base = realTempDir('teamtop-hostile-');
  dirs.push(base);
  const repo = join(base, 'repo');
  teamRepo(repo, { '.gitignore': '*.log\n', 'README.md': 'base\n' });
  put(repo, 'feature.js', 'feature\n');
  put(repo, 'src/deep/file.txt', 'deep\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'work');
  put(repo, 'untracked.txt', 'untracked\n');
  put(repo, 'debug.log', 'ignored\n');
  const victim = join(base, 'victim');
  put(victim, 's', 'precious\n', 0o600);
  const root = join(base, 'state');
  put(root, 'web/team.json', '{}\n');
  return { base, repo, victim, protect: [root, join(root, 'web')] };
}

async function abort(w: World): Promise<void> {
  await applyGitEffect({ kind: 'git-backup', repo: w.repo, ref: REF, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, w.protect);
  await applyGitEffect({ kind: 'git-reset', repo: w.repo, target: 'main', backupRef: REF }, {}, w.protect);
}

/** Re-points the backup at a copy whose metadata commit is `edit`ed (its tree's entries). */
function editBackupMeta(repo: string, edit: (entries: ReturnType<typeof treeEntries>) => ReturnType<typeof treeEntries>): void {
  const w = git(repo, 'rev-parse', REF);
  const meta = /teamtop-meta: ([0-9a-f]+)/.exec(git(repo, 'cat-file', 'commit', w))![1]!;
  const metaTree = gitTree(repo, edit(treeEntries(repo, `${meta}^{tree}`)));
  const meta2 = rewriteObject(repo, meta, (raw) => raw.replace(/^tree [0-9a-f]+/, `tree ${metaTree}`));
  git(repo, 'update-ref', REF, rewriteObject(repo, w, (raw) => raw.split(meta).join(meta2)));
}

/** undo-abort (its backup, then the restore) must be refused, naming `path`, with nothing changed anywhere. */
async function expectUndoRefused(w: World, path: RegExp): Promise<void> {
  const before = repoState(w.repo);
  const victim = snapshotTree(w.victim);
  const outside = snapshotTree(w.base, ['repo']);
  await expect(applyGitEffect({ kind: 'git-backup', repo: w.repo, ref: PRE, message: 'm', team: 'web', rollbackTo: [REF] }, {}, w.protect))
    .rejects.toThrow(path);
  expect(repoState(w.repo)).toEqual(before);
  // The restore itself refuses too (with a backup to save into that exists).
  await applyGitEffect({ kind: 'git-backup', repo: w.repo, ref: PRE, message: 'm', team: 'web', rollbackTo: [] }, {}, w.protect);
  const before2 = repoState(w.repo);
  const err = await applyGitEffect({ kind: 'git-restore', repo: w.repo, ref: REF, backupRef: PRE }, {}, w.protect).then(() => null, (e: Error) => e);
  expect(err?.message).toMatch(path);
  expect(err?.message.split('\n')).toHaveLength(1);
  expect(repoState(w.repo)).toEqual(before2);
  expect(snapshotTree(w.victim)).toEqual(victim);
  expect(snapshotTree(w.base, ['repo'])).toEqual(outside);
}

describe('a tampered backup is refused before anything is written', () => {
  it('a tree entry ".." (../victim/s) in the saved work tree', async () => {
    const w = world();
    await abort(w);
    addPathToCommit(w.repo, REF, '../victim/s');
    await expectUndoRefused(w, /backup refs\/teamtop\/backup\/web-20260301T100000Z has an unsafe path "\.\.\/victim\/s" \(it has a "\.\." component\)/);
    expect(readFileSync(join(w.victim, 's'), 'utf8')).toBe('precious\n');
  });

  it('.git (any case, NTFS and HFS+ forms), ".", an empty name, a file that is also a directory', async () => {
    for (const [path, why] of [
      ['.git/hooks/post-checkout', /"\.git\/hooks\/post-checkout" \(it has a component "\.git"/],
      ['.GIT/config', /"\.GIT\/config"/],
      ['sub/.Git. . /x', /"sub\/\.Git\. \. \/x"/],
      ['git~1/hooks/pre-commit', /"git~1\/hooks\/pre-commit"/],
      // (names are bytes: U+200C ZERO WIDTH NON-JOINER as UTF-8, which HFS+ ignores)
      [`${Buffer.from('.g\u200cit', 'utf8').toString('latin1')}/hooks/x`, /"\.g\u200cit\/hooks\/x" \(it has a component/],
      ['a/./b', /"a\/\.\/b" \(it has a "\." component\)/],
      ['a//b', /empty filename in tree entry/], // (git ls-tree itself refuses it)
      ['README.md/x', /"README\.md" \(it is both a file and a directory\)/],
    ] as const) {
      const w = world();
      await abort(w);
      addPathToCommit(w.repo, REF, path);
      await expectUndoRefused(w, why);
      expect(existsSync(join(w.repo, '.git', 'hooks', 'post-checkout'))).toBe(false);
    }
  });

  it('manifest records outside the work tree (d 777 ../victim, e 755 ../created-outside)', async () => {
    const w = world();
    await abort(w);
    editBackupMeta(w.repo, (entries) => entries.map((e) => {
      if (e.name !== 'manifest') return e;
      const m = Buffer.concat([blobBytes(w.repo, e.sha), Buffer.from('d 777 ../victim\0e 755 ../created-outside\0')]);
      return { ...e, sha: gitBlob(w.repo, m) };
    }));
    const mode = statSync(w.victim).mode;
    await expectUndoRefused(w, /the manifest of refs\/teamtop\/backup\/web-20260301T100000Z has an unsafe path "\.\.\/victim"/);
    expect(statSync(w.victim).mode).toBe(mode);
    expect(existsSync(join(w.base, 'created-outside'))).toBe(false);
  });

  it('a manifest directory where the backup has a file', async () => {
    const w = world();
    await abort(w);
    editBackupMeta(w.repo, (entries) => entries.map((e) => (e.name !== 'manifest' ? e
      : { ...e, sha: gitBlob(w.repo, Buffer.concat([blobBytes(w.repo, e.sha), Buffer.from('e 755 feature.js/x\0')])) })));
    await expectUndoRefused(w, /"feature\.js\/x" \(an empty directory recorded where the backup has a file\)/);
  });

  it('a saved index file with an entry "../x"', async () => {
    const w = world();
    // An entry that sorts first, renamed below to "../x" (same length, still first).
    put(w.repo, '+a/x', 'x\n');
    git(w.repo, 'add', '+a/x');
    await abort(w);
    editBackupMeta(w.repo, (entries) => entries.map((e) => {
      if (e.name !== 'index') return e;
      const raw = blobBytes(w.repo, e.sha);
      const at = raw.indexOf('+a/x\0');
      expect(at).toBeGreaterThan(0);
      raw.write('../x', at, 'latin1');
      createHash('sha1').update(raw.subarray(0, raw.length - 20)).digest().copy(raw, raw.length - 20);
      return { ...e, sha: gitBlob(w.repo, raw) };
    }));
    await expectUndoRefused(w, /the index saved in refs\/teamtop\/backup\/web-20260301T100000Z has an unsafe path "\.\.\/x"/);
  });

  it('displaced content with a path "../victim/s"', async () => {
    const w = world();
    await abort(w);
    editBackupMeta(w.repo, (entries) => [...entries, { mode: '040000', sha: gitTree(w.repo, [{ ...nestedEntry(w.repo, '../victim/s', 'pwned\n'), name: '..' }].map((e) => e)), name: 'displaced' }]
      .map((e) => (e.name === 'displaced' ? { ...e, sha: gitTree(w.repo, [{ mode: '040000', sha: e.sha, name: '1' }]) } : e)));
    await expectUndoRefused(w, /the displaced content of refs\/teamtop\/backup\/web-20260301T100000Z has an unsafe path "1\/\.\.\/victim\/s"/);
  });
});

describe('a hostile rollback target is refused before anything is written', () => {
  it('base_ref whose tree has "../../<dir>/.gitignore": the backup writes nothing outside (not even in a scratch folder)', async () => {
    const w = world();
    const name = `teamtop-hostile-victim-${process.pid}-${Date.now()}`;
    const outside = join(realpathSync(tmpdir()), name);
    dirs.push(outside);
    // base_ref: main's tree plus the hostile .gitignore (relative to the scratch folder's rules/).
    const mainTree = git(w.repo, 'rev-parse', 'main^{tree}');
    const evilTree = gitTree(w.repo, [...treeEntries(w.repo, mainTree), nestedEntry(w.repo, `../../${name}/.gitignore`, '*\n')]);
    const evil = git(w.repo, 'commit-tree', evilTree, '-p', 'main', '-m', 'evil');
    git(w.repo, 'update-ref', 'refs/heads/evil', evil);
    const before = repoState(w.repo);
    const victim = snapshotTree(w.victim);
    await expect(applyGitEffect({ kind: 'git-backup', repo: w.repo, ref: REF, message: 'm', team: 'web', rollbackTo: ['evil'] }, {}, w.protect))
      .rejects.toThrow(new RegExp(`the rollback target "evil" has an unsafe path "\\.\\./\\.\\./${name}/\\.gitignore"`));
    await expect(applyGitEffect({ kind: 'git-reset', repo: w.repo, target: 'evil', backupRef: REF }, {}, w.protect))
      .rejects.toThrow(/the reset target "evil" has an unsafe path/);
    expect(existsSync(outside)).toBe(false);
    expect(repoState(w.repo)).toEqual(before);
    expect(snapshotTree(w.victim)).toEqual(victim);
  });
});

describe('the live index and the writer itself', () => {
  it('a crafted index with an entry "../victim/s": abort refuses before reading or removing anything outside', async () => {
    const w = world();
    put(w.repo, '+zzzzzzzz/s', 'x\n'); // sorts first; renamed below to "../victim/s" (same length)
    git(w.repo, 'add', '+zzzzzzzz/s');
    const index = join(w.repo, '.git', 'index');
    const raw = readFileSync(index);
    raw.write('../victim/s', raw.indexOf('+zzzzzzzz/s\0'), 'latin1');
    createHash('sha1').update(raw.subarray(0, raw.length - 20)).digest().copy(raw, raw.length - 20);
    writeFileSync(index, raw);
    const before = repoState(w.repo);
    await expect(applyGitEffect({ kind: 'git-backup', repo: w.repo, ref: REF, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, w.protect))
      .rejects.toThrow(/the index of the repository has an unsafe path "\.\.\/victim\/s"/);
    await expect(applyGitEffect({ kind: 'git-reset', repo: w.repo, target: 'main', backupRef: REF }, {}, w.protect)).rejects.toThrow();
    expect(repoState(w.repo)).toEqual(before);
    // The victim's bytes were never hashed into the repository.
    const victimBlob = createHash('sha1').update('blob 9\0precious\n').digest('hex');
    expect(() => git(w.repo, 'cat-file', '-e', victimBlob)).toThrow();
    expect(readFileSync(join(w.victim, 's'), 'utf8')).toBe('precious\n');
  });

  it('the safe writer refuses any path that is not inside the work tree, whoever asks', () => {
    const w = world();
    const t = new SafeTree(w.repo);
    try {
      for (const p of ['../victim/s', '/etc/passwd', 'a/../../x', '.git/hooks/x', 'a//b', '.']) {
        expect(() => t.unlink(p), p).toThrow(/stopped before writing/);
        expect(() => t.lstat(p), p).toThrow(/stopped before writing/);
      }
    } finally {
      t.close();
    }
    expect(readFileSync(join(w.victim, 's'), 'utf8')).toBe('precious\n');
  });

  it('git\'s rules, not more: ordinary names that look like .git are accepted', () => {
    for (const p of ['.github/workflows/ci.yml', '.gitignore', '.gitmodules', '.gitattributes', 'a.git', 'x/.gitkeep', 'git~10', '..a', 'a..', '...', 'caf\u00c3\u00a9']) {
      expect(pathProblem(p), p).toBeNull();
    }
    expect(pathProblem('.gitmodules', '120000')).toMatch(/symbolic link named \.gitmodules/);
    expect(pathProblem('sub/.GITMODULES. ', '120000')).toMatch(/symbolic link named \.gitmodules/);
    expect(pathProblem('a\\.git\\hooks')).toMatch(/\.git on some file systems/);
  });
});
