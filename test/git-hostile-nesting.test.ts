// A repository whose top is inside a protected directory (the state root, a team directory) is
// refused: team `web` with team.json "repo": "../other" (another team's directory, which is a git
// repository) used to abort and `git clean` away that team's state files.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { applyGitEffect, checkGitEffect } from '../src/git/effects.js';
import { git, isolateGit, put, realTempDir, repoState, snapshotTree } from './helpers/repo.js';

isolateGit({ beforeAll, afterAll });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const REF = 'refs/teamtop/backup/web-20260301T100000Z';

function layout(): { base: string; root: string; other: string } {
  const base = realTempDir('teamtop-nest-');
  dirs.push(base);
  const root = join(base, 'state');
  put(root, 'web/team.json', '{"team_id":"web","repo":"../other","base_ref":"main"}\n');
  const other = join(root, 'other');
  put(other, 'team.json', '{"team_id":"other"}\n');
  git(other, 'init', '-q', '-b', 'main');
  git(other, 'config', 'user.name', 'Test');
  git(other, 'config', 'user.email', 'test@example.com');
  git(other, 'add', 'team.json');
  git(other, 'commit', '-q', '-m', 'base');
  // The other team's live state: untracked files a rollback's clean would remove.
  put(other, 'mailbox.jsonl', '{"sequence":1}\n');
  put(other, 'checkpoints/tm_a.json', '{"done":40}\n', 0o600);
  return { base, root, other };
}

describe('a repository inside a protected directory', () => {
  it('another team\'s directory as the repo ("repo": "../other"): abort is refused, its state files stay', async () => {
    const { root, other } = layout();
    const protect = [root, join(root, 'web')];
    const before = repoState(other);
    const why = new RegExp(`the repository ${other} is inside the state root ${root}: a rollback there could remove team state; keep repositories outside the state root`);
    const backup = { kind: 'git-backup', repo: other, ref: REF, message: 'm', team: 'web', rollbackTo: ['main'] } as const;
    const reset = { kind: 'git-reset', repo: other, target: 'main', backupRef: REF } as const;
    await expect(applyGitEffect(backup, {}, protect)).rejects.toThrow(why);
    await expect(applyGitEffect(reset, {}, protect)).rejects.toThrow(why);
    await expect(checkGitEffect(backup, protect)).rejects.toThrow(why);
    expect(repoState(other)).toEqual(before);
    expect(snapshotTree(other)['mailbox.jsonl']).toBeDefined();
  });

  it('is decided on real paths: the repo reached through a link from outside, a team directory holding it', async () => {
    const { base, root, other } = layout();
    symlinkSync(other, join(base, 'link-to-other'));
    const before = repoState(other);
    for (const [repo, protect, name] of [
      [join(base, 'link-to-other'), [root, join(root, 'web')], 'the state root'],
      [other, [join(base, 'elsewhere'), join(root)], 'the team directory'],
    ] as const) {
      await expect(applyGitEffect({ kind: 'git-backup', repo, ref: REF, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, [...protect]))
        .rejects.toThrow(new RegExp(`the repository ${other} is inside ${name} ${root}:`));
      await expect(applyGitEffect({ kind: 'git-restore', repo, ref: REF, backupRef: REF }, {}, [...protect])).rejects.toThrow();
    }
    expect(repoState(other)).toEqual(before);
  });
});
