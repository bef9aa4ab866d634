// Demo mode's git repositories: each sample team of the team-state format gets a small scratch
// work tree (main, a work branch with commits, uncommitted and untracked changes), named in its
// team.json, so that reassign-with-checkpoint, abort, undo-abort and lessons all run end to end
// in the demo. They live beside the demo copy (<copy>.repos/<team>): a repository inside the state
// root is one a rollback refuses to touch.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { runGit } from '../../git/run.js';
import { DEFAULT_IDENTITY } from '../../git/identity.js';

const ENV = {
  GIT_AUTHOR_NAME: DEFAULT_IDENTITY.name, GIT_AUTHOR_EMAIL: DEFAULT_IDENTITY.email,
  GIT_COMMITTER_NAME: DEFAULT_IDENTITY.name, GIT_COMMITTER_EMAIL: DEFAULT_IDENTITY.email,
};

async function git(cwd: string, ...args: string[]): Promise<void> {
  await runGit(cwd, args, { env: ENV });
}

/** One team's scratch repository at `dir`: main, then `team/<id>` with work committed and not. */
async function makeRepo(dir: string, team: string): Promise<void> {
  await fsp.mkdir(join(dir, 'src'), { recursive: true });
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'commit.gpgsign', 'false');
  await fsp.writeFile(join(dir, 'README.md'), `# ${team} (teamtop demo repository)\n\nA scratch work tree for the demo's recovery actions.\n`);
  await fsp.writeFile(join(dir, 'src', 'main.txt'), 'the code on main\n');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'main: the base the team started from');
  await git(dir, 'checkout', '-q', '-b', `team/${team}`);
  await fsp.writeFile(join(dir, 'src', 'feature.txt'), 'work the team committed\n');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', `${team}: work in progress`);
  // What an abort must back up and an undo must bring back: a change and a new file, uncommitted.
  await fsp.appendFile(join(dir, 'src', 'feature.txt'), 'and more, not committed yet\n');
  await fsp.writeFile(join(dir, 'src', 'notes.txt'), 'an untracked file\n');
}

/**
 * Gives every native team of the demo copy `root` that names no repository a scratch one in
 * `<root>.repos/`, written into its team.json as `repo`. Returns the directories it made (for the
 * demo to remove); none without git (the demo then runs without repositories).
 */
export async function makeDemoRepos(root: string): Promise<string[]> {
  try {
    await runGit(root, ['--version']);
  } catch {
    return [];
  }
  const repos = `${root}.repos`;
  for (const e of await fsp.readdir(root, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.') || e.name.includes('.ABORTED-')) continue;
    const file = join(root, e.name, 'team.json');
    let team: Record<string, unknown>;
    try {
      team = JSON.parse(await fsp.readFile(file, 'utf8')) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (team.repo !== undefined) continue;
    await makeRepo(join(repos, e.name), e.name);
    await fsp.writeFile(file, JSON.stringify({ ...team, repo: join(repos, e.name), base_ref: team.base_ref ?? 'main' }, null, 2) + '\n');
  }
  return [repos];
}
