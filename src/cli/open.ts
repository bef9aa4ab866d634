// Opening a state root for the headless commands: one load, no watching.
import { join } from 'node:path';
import { RootError, type StateSource } from '../sources/source.js';
import { CONFIG_FILE, loadThresholds } from './config.js';
import { type Thresholds } from '../model/thresholds.js';
import { UsageError } from './errors.js';
import { createSource, type SourceChoice } from './source-opts.js';
import type { TeamSnapshot } from '../model/snapshot.js';
import type { StateError } from '../model/types.js';
import { sanitize } from '../safety/sanitize.js';

export interface Opened {
  source: StateSource;
  thresholds: Thresholds;
  teams: TeamSnapshot[];
  /** Parts of the root that could not be read (a linked or misnamed team directory…). */
  rootErrors: StateError[];
}

/** Loads the root once. RootError (exit 2) propagates; an unknown --team is a usage error. */
export async function openRoot(opts: SourceChoice & { team?: string; config?: string; archived?: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<Opened> {
  const source = await createSource(opts, env);
  await source.load();
  const root = source.root;
  const thresholds = await loadThresholds(opts.config ?? join(root, CONFIG_FILE), !opts.config);
  let teams = source.getSnapshot().teams;
  if (opts.team) {
    teams = teams.filter((t) => t.id === opts.team);
    // An aborted team's archive (<team>.ABORTED-<ts>), where the command reads history.
    const archive = source.getSnapshot().archived.find((a) => a.dirName === opts.team);
    if (teams.length === 0 && archive && opts.archived && source.loadArchived) teams = [await source.loadArchived(archive.dirName)];
    if (teams.length === 0) {
      await source.close();
      throw noSuchTeam(opts.team, source);
    }
  }
  return { source, thresholds, teams, rootErrors: source.getSnapshot().errors };
}

/**
 * The error for a --team that is not among the teams read: a root error when the team is there but
 * cannot be read (its path and why: exit 2, as for an unreadable root), else the usage error that
 * names the teams (and archives) there are.
 */
export function noSuchTeam(team: string, source: StateSource): UsageError | RootError {
  const snap = source.getSnapshot();
  const unread = snap.errors.find((e) => e.team === team);
  if (unread) return new RootError(`team ${JSON.stringify(team)} cannot be read: ${sanitize(unread.file)}: ${sanitize(unread.message)}`);
  const names = snap.teams.map((t) => t.id);
  const archives = snap.archived.map((a) => a.dirName);
  const archive = archives.includes(team);
  return new UsageError(`no team ${JSON.stringify(team)} under ${source.root} (${names.length ? `teams: ${names.join(', ')}` : 'no teams'}${archive ? '; that is an aborted team\'s archive: teamtop postmortem reads it' : archives.length ? `; archives: ${archives.join(', ')}` : ''})`);
}

/**
 * For the long-running commands: an unknown --team is a usage error at start, as for `check`. A
 * root that cannot be read yet is not (they wait for it).
 */
export async function checkTeamExists(opts: SourceChoice & { team?: string; config?: string }, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (!opts.team) return;
  try {
    await (await openRoot(opts, env)).source.close();
  } catch (e) {
    if (!(e instanceof RootError)) throw e;
  }
}
