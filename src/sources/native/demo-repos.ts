// Demo mode's git repositories: each sample team of the team-state format gets a small scratch
// work tree (main, a work branch with commits, uncommitted and untracked changes), named in its
// team.json, so that reassign-with-checkpoint, abort, undo-abort and lessons all run end to end
// in the demo. They live beside the demo copy (<copy>.repos/<team>): a repository inside the state
// root is one a rollback refuses to touch.
//
// Made in two steps so the demo's first frame does not wait on git: the team.json files name
// their repositories at once (before the state is loaded), and the repositories are built in the
// background, three git runs each (init, one fast-import of both branches, checkout), all teams
// at a time. The TUI waits for them before it takes a key, since actions plan against them.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { runGit } from '../../git/run.js';
import { DEFAULT_IDENTITY } from '../../git/identity.js';
import type { DemoExtras } from '../format-registry.js';

const ENV = {
  GIT_AUTHOR_NAME: DEFAULT_IDENTITY.name, GIT_AUTHOR_EMAIL: DEFAULT_IDENTITY.email,
  GIT_COMMITTER_NAME: DEFAULT_IDENTITY.name, GIT_COMMITTER_EMAIL: DEFAULT_IDENTITY.email,
};

/** A fast-import stream: `main` with the base, then `team/<team>` with the team's committed work. */
function history(team: string, when: number): string {
  const who = `${DEFAULT_IDENTITY.name} <${DEFAULT_IDENTITY.email}> ${when} +0000`;
  const data = (s: string): string => `data ${Buffer.byteLength(s)}\n${s}\n`;
  const blob = (mark: number, s: string): string => `blob\nmark :${mark}\n${data(s)}`;
  const commit = (ref: string, mark: number, message: string, from: number | null, files: [number, string][]): string =>
    `commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n${data(message)}` +
    (from === null ? '' : `from :${from}\n`) + files.map(([m, p]) => `M 100644 :${m} ${p}\n`).join('') + '\n';
  return blob(1, `# ${team} (teamtop demo repository)\n\nA scratch work tree for the demo's recovery actions.\n`) +
    blob(2, 'the code on main\n') +
    commit('refs/heads/main', 3, 'main: the base the team started from', null, [[1, 'README.md'], [2, 'src/main.txt']]) +
    blob(4, 'work the team committed\n') +
    commit(`refs/heads/team/${team}`, 5, `${team}: work in progress`, 3, [[4, 'src/feature.txt']]) +
    'done\n';
}

/** One team's scratch repository at `dir`, on `team/<id>`, with work committed and not. */
async function makeRepo(dir: string, team: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true });
  await runGit(dir, ['init', '-q', '-b', 'main'], { env: ENV });
  // Later checkpoint commits in this repository must not ask for a signature.
  await fsp.appendFile(join(dir, '.git', 'config'), '[commit]\n\tgpgsign = false\n');
  await runGit(dir, ['fast-import', '--quiet', '--done'], { env: ENV, input: history(team, Math.floor(Date.now() / 1000)) });
  await runGit(dir, ['checkout', '-q', '-f', `team/${team}`], { env: ENV });
  // What an abort must back up and an undo must bring back: a change and a new file, uncommitted.
  await fsp.appendFile(join(dir, 'src', 'feature.txt'), 'and more, not committed yet\n');
  await fsp.writeFile(join(dir, 'src', 'notes.txt'), 'an untracked file\n');
}

/**
 * Names a scratch repository in `<root>.repos/` in the team.json of every native team of the demo
 * copy `root` that names none, and starts building them. Returns the directory to remove after the
 * demo and `ready`, which settles when every repository is built. Without git: nothing (the demo
 * then runs without repositories).
 */
export async function makeDemoRepos(root: string): Promise<DemoExtras> {
  try {
    await runGit(root, ['--version']);
  } catch {
    return { dirs: [], ready: Promise.resolve() };
  }
  const repos = `${root}.repos`;
  const teams: string[] = [];
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
    await fsp.writeFile(file, JSON.stringify({ ...team, repo: join(repos, e.name), base_ref: team.base_ref ?? 'main' }, null, 2) + '\n');
    teams.push(e.name);
  }
  const ready = Promise.all(teams.map((t) => makeRepo(join(repos, t), t))).then(() => undefined);
  // Awaited by the TUI before it takes a key; a failure is reported there, not as an unhandled rejection.
  ready.catch(() => undefined);
  return { dirs: [repos], ready };
}
