// The demo's scratch repositories: team.json names each one before the state is read (so the
// first load already has it), and `ready` settles with every repository in the state the recovery
// actions expect — main, the team's branch with a commit, a change and an untracked file.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { prepareDemo } from '../src/demo/prepare.js';
import { makeDemoRepos } from '../src/sources/native/demo-repos.js';

const git = (repo: string, ...args: string[]): string => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();

let made: string[] = [];
afterEach(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
  made = [];
});

describe('the demo repositories', () => {
  it('are named at once and built by ready, on the team branch with committed, changed and untracked work', async () => {
    const demo = await prepareDemo();
    made.push(demo);
    const { dirs, ready } = await makeDemoRepos(demo);
    made.push(...dirs);
    const team = JSON.parse(readFileSync(join(demo, 'beta-cycle', 'team.json'), 'utf8')) as { repo: string; base_ref: string };
    expect(team.repo).toBe(join(`${demo}.repos`, 'beta-cycle'));
    expect(team.base_ref).toBe('main');
    // Aborted copies are history, not teams: they get no repository.
    expect(existsSync(join(`${demo}.repos`, 'beta-cycle.ABORTED-20260227T1630Z'))).toBe(false);
    await ready;
    for (const t of ['alpha-silent', 'beta-cycle', 'delta-consolidation', 'gamma-healthy']) {
      const repo = join(`${demo}.repos`, t);
      expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe(`team/${t}`);
      expect(git(repo, 'log', '--format=%s', 'main..HEAD')).toBe(`${t}: work in progress`);
      expect(git(repo, 'log', '--format=%s', 'main')).toBe('main: the base the team started from');
      expect(git(repo, 'status', '--porcelain')).toBe('M src/feature.txt\n?? src/notes.txt');
      expect(git(repo, 'config', 'commit.gpgsign')).toBe('false');
      expect(readFileSync(join(repo, 'src', 'feature.txt'), 'utf8')).toBe('work the team committed\nand more, not committed yet\n');
    }
  });
});
