// Gathering a post-mortem on disk: copies of the team's state files, the git log of the team's
// work since base_ref, the timeline, summary.json and postmortem.md, in one report directory.
import { promises as fsp } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { TeamSnapshot } from '../model/snapshot.js';
import type { Thresholds } from '../model/thresholds.js';
import { resolveRepo, RepoError } from '../git/team-repo.js';
import { GitRepo } from '../git/repo.js';
import { safeJson } from '../safety/sanitize.js';
import { copyRegularFile, copyTree } from '../files/copy.js';
import { makeFreshDir, makeNumberedDir } from '../files/fresh-dir.js';
import { teamtopStateDir } from '../files/state-dir.js';
import { writeNewFile } from '../files/write.js';
import { actionsFileOf, readActionLog } from './actions-log.js';
import { alertHistory, evaluationTimes, MERGE_WINDOW_MS, MAX_EVALUATIONS } from './replay.js';
import { buildTimeline } from './timeline.js';
import { buildSummary, renderPostmortem, renderTimeline } from './render.js';
import { type ReportInput } from './markdown.js';

export interface PostmortemOptions {
  team: TeamSnapshot;
  /** The state root the team was loaded from (the .claude directory for Claude Code teams). */
  stateRoot: string;
  thresholds: Thresholds;
  /**
   * Where the report goes: `exact`, a directory that must be absent (it is created) or empty; or
   * a new directory `under` a parent (created when absent), named reportDirName(…) or, when that
   * is taken, with a -2, -3… suffix. Nothing that exists is ever replaced.
   */
  out: { exact: string } | { under: string };
  now: number;
}

export interface PostmortemResult {
  dir: string;
  /** Every file or directory written, relative to dir. */
  files: string[];
  summary: Record<string, unknown>;
}

/** "postmortem-20260228-<team>" (local date; characters unfit for a file name become "_"). */
export function reportDirName(teamId: string, now: number): string {
  const d = new Date(now);
  const p = (n: number): string => String(n).padStart(2, '0');
  const safe = teamId.replace(/[^A-Za-z0-9._+=@-]/g, '_').replace(/^[.-]/, '_') || 'team';
  return `postmortem-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${safe}`;
}

/**
 * The parent a report goes `under`, ready: under teamtop's own state directory (a Claude Code or omc
 * team's records, the demo's reports) the directories above it are teamtop's to make, so they are
 * made (0700) when absent — `$XDG_STATE_HOME` may exist without teamtop/. Anywhere else (a state
 * root, a team's directory) nothing is created above it: a directory that was deleted is never
 * made again. `under` itself and the numbered report directory are made by makeNumberedDir.
 */
async function reportsParent(under: string): Promise<string> {
  if (under.startsWith(teamtopStateDir(process.env) + sep)) await fsp.mkdir(dirname(under), { recursive: true, mode: 0o700 });
  return under;
}

/** Copies a directory of state into the new directory `to`: regular files and directories only. */
async function copyStateDir(from: string, to: string, notes: string[], name: string): Promise<boolean> {
  try {
    if (!(await fsp.lstat(from)).isDirectory()) return false;
  } catch {
    return false;
  }
  const r = await copyTree(from, to, (_rel, n) => n.endsWith('.lock'));
  for (const s of r.skipped.slice(0, 20)) notes.push(`${name}/${s.path} was left out of the copies (${s.reason}).`);
  if (r.skipped.length > 20) notes.push(`${r.skipped.length - 20} more entries of ${name}/ were left out of the copies.`);
  return true;
}

/** Copies the team's state into dir; returns what was copied (relative names, directories with a trailing /). */
async function copyState(team: TeamSnapshot, dir: string, notes: string[]): Promise<string[]> {
  const copied: string[] = [];
  for (const f of team.format.stateFiles(team)) {
    if (f.dir) {
      if (await copyStateDir(f.path, join(dir, f.name), notes, f.name)) copied.push(`${f.name}/`);
      continue;
    }
    const r = await copyRegularFile(f.path, join(dir, f.name));
    if (r.copied) copied.push(f.name);
    else if (r.reason) notes.push(`${f.name} was left out of the copies (${r.reason}).`);
  }
  return copied;
}

/** Gathers the evidence and writes the report into opts.outDir. */
export async function writePostmortem(opts: PostmortemOptions): Promise<PostmortemResult> {
  const { thresholds, now } = opts;
  const notes: string[] = [];
  const full = await opts.team.format.completeMailbox(opts.team);
  const team = full.team;
  if (full.skippedLines) notes.push(`${full.skippedLines} line(s) of mailbox.jsonl could not be read and are left out.`);
  const log = await readActionLog(actionsFileOf(team));
  if (log.skipped) notes.push(`actions.jsonl: ${log.skipped} line(s) could not be read and are left out (line ${log.skippedLines.slice(0, 10).join(', ')}${log.skipped > 10 ? ', …' : ''}).`);
  const actions = [...log.records].sort((a, b) => a.time - b.time || a.line - b.line);

  const evaluations = evaluationTimes(team, actions, thresholds, now).length;
  const spans = alertHistory(team, actions, thresholds, now);
  const timeline = buildTimeline(team, actions, spans);
  notes.push(`Alerts were reconstructed by running teamtop's detectors again at ${evaluations} moment(s) of the history `
    + `(each message, event and action, each deadline that passed, and now; moments less than ${MERGE_WINDOW_MS / 1000} s apart are merged, at most ${MAX_EVALUATIONS} in all).`);
  notes.push(team.format.historyNote);

  let repo: string | null = null;
  try {
    repo = await resolveRepo(team, opts.stateRoot);
  } catch (e) {
    if (!(e instanceof RepoError)) throw e;
    notes.push(`No git log: ${e.message}.`);
  }

  const dir = 'exact' in opts.out ? await makeFreshDir(opts.out.exact) : await makeNumberedDir(await reportsParent(opts.out.under), reportDirName(team.id, now));
  const copied = await copyState(team, dir, notes);
  const files = [...copied];

  let gitLog: string | null = null;
  const baseRef = team.info.baseRef;
  if (repo && baseRef) {
    try {
      const git = await GitRepo.find(repo);
      if (!git) throw new Error(`${repo} is not a git work tree`);
      const base = await git.resolve(baseRef).catch(() => null);
      if (base === null) notes.push(`No git log: base_ref ${baseRef} does not name a commit in ${repo}.`);
      else {
        await writeNewFile(join(dir, 'git-log.txt'), await git.log(baseRef));
        gitLog = `${baseRef}..HEAD of ${repo}`;
        files.push('git-log.txt');
      }
    } catch (e) {
      notes.push(`No git log: ${(e as Error).message}.`);
    }
  } else if (repo) notes.push('No git log: the team has no base_ref to start it from.');
  else if (!notes.some((n) => n.startsWith('No git log'))) notes.push('No git log: the team has no git repository.');

  const input: ReportInput = { team, actions, spans, timeline, generatedAt: now, repo, gitLog, copied, notes };
  const summary = buildSummary(input);
  await writeNewFile(join(dir, 'timeline.md'), renderTimeline(team, timeline));
  await writeNewFile(join(dir, 'summary.json'), safeJson(summary, 2) + '\n');
  await writeNewFile(join(dir, 'postmortem.md'), renderPostmortem(input));
  files.push('timeline.md', 'summary.json', 'postmortem.md');
  return { dir, files, summary };
}
