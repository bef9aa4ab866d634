// oh-my-claudecode's `omc team` registration: the root is the project directory (`.omc/` inside).
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { gitTopOf } from './names.js';
import type { DemoExtras, SourceFormat } from '../format-registry.js';
import { runGit } from '../../git/run.js';
import { localPidProbe, looksLikeOmcProject, OmcSource, TEAMS_DIR } from './source.js';

/** The git top level of the current directory (where omc team runs), else the directory itself. */
function defaultProject(env: NodeJS.ProcessEnv): string {
  const here = env.PWD && resolve(env.PWD) === process.cwd() ? env.PWD : process.cwd();
  return gitTopOf(here) ?? resolve(here);
}

export const OMC: SourceFormat = {
  id: 'omc',
  summary: 'omc (oh-my-claudecode\'s `omc team`: a project holding .omc/; default: the git top level)',
  teamsLabel: 'oh-my-claudecode',
  repoOptions: true,
  open: (root, o) => new OmcSource(root, { now: o.now, stateDir: o.stateDir, probe: localPidProbe, tmuxEnv: o.tmuxEnv ?? process.env, repo: o.repo, baseRef: o.baseRef }),
  detect: looksLikeOmcProject,
  defaultRoot: (env) => defaultProject(env),
  // A dot directory: the native demo reads every other directory of the copy as a team.
  demoRoot: (demoDir) => join(demoDir, '.omc-project'),
  // The demo project is a git work tree, as omc team needs (else omc writes to $HOME/.omc).
  demo: { afterCopy: placeDemoTeams, interactive: gitInit },
};

async function gitInit(root: string): Promise<DemoExtras> {
  // Without git the demo still runs; its actions are then refused with the reason.
  return { dirs: [], ready: runGit(root, ['init', '-q']).then(() => undefined, () => undefined) };
}

/** The sample teams were built in another directory: their config names the demo's copy instead. */
async function placeDemoTeams(root: string): Promise<void> {
  const teams = join(root, TEAMS_DIR);
  for (const name of await fsp.readdir(teams).catch(() => [] as string[])) {
    const file = join(teams, name, 'config.json');
    const config = JSON.parse(await fsp.readFile(file, 'utf8')) as { leader_cwd?: string; workers?: Array<{ working_dir?: string }> };
    config.leader_cwd = root;
    for (const w of config.workers ?? []) w.working_dir = root;
    await fsp.writeFile(file, JSON.stringify(config, null, 2));
  }
}
