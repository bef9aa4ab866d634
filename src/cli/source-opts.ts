// Choosing the state source: the native team-state format, or Claude Code's ~/.claude
// (--source claude, --claude-dir DIR, or automatically when the root looks like one).
import { join, resolve } from 'node:path';
import { detectFormat, formatById, FORMATS, type DemoExtras, type Simulator, type SourceFormat } from '../sources/index.js';
import type { StateSource } from '../sources/source.js';
import { UsageError } from './errors.js';
import { teamtopStateDir } from '../files/state-dir.js';

export const SOURCE_OPTIONS = {
  root: { type: 'string' },
  source: { type: 'string' },
  'claude-dir': { type: 'string' },
  repo: { type: 'string' },
  'base-ref': { type: 'string' },
} as const;

/**
 * The help lines of the options that choose the state, for one command: whether it takes the root
 * as its first argument, and what --repo and --base-ref mean to it (null: it has no use for them).
 */
/** The formats that name no repository of their own: --repo and --base-ref give the one an abort rolls back. */
const REPO_FORMATS = (): SourceFormat[] => FORMATS.filter((f) => f.repoOptions);
const REPO_TEAMS = `${REPO_FORMATS().map((f) => f.teamsLabel ?? f.id).join(' and ')} teams`;

export function sourceUsage(o: { positional: boolean; repo: string | null; baseRef: string | null }): string {
  return [
    `  --root DIR   the state root${o.positional ? ' (or give it as the first argument)' : ''}`,
    `  --source KIND   ${FORMATS.map((f) => f.id).join(', ')}; chosen automatically when the root looks like one:`,
    ...FORMATS.map((f) => `                  ${f.summary}`),
    '  --claude-dir DIR   the Claude Code directory (default: $HOME/.claude); implies --source claude',
    ...(o.repo ? [`  --repo DIR   ${REPO_TEAMS}: ${o.repo}`] : []),
    ...(o.baseRef ? [`  --base-ref REF   ${REPO_TEAMS}: ${o.baseRef}`] : []),
  ].join('\n');
}

const ABORT_REPO = { repo: 'the git work tree an abort backs up and rolls back', baseRef: 'what an abort rolls back to' };
/** The TUI and act: --repo and --base-ref are what an abort rolls back. */
export const SOURCE_USAGE_ACTIONS = (positional: boolean): string => sourceUsage({ positional, ...ABORT_REPO });

export interface SourceChoice {
  root?: string;
  positional?: string;
  source?: string;
  'claude-dir'?: string;
  repo?: string;
  'base-ref'?: string;
}

/**
 * The environment a demo runs in: teamtop's own state (kept copies) inside the demo copy, and no
 * tmux server to ask (the sample teams' pane ids are samples: a real pane with the same id on the
 * user's server would say nothing about them).
 */
export function demoEnv(demoDir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, XDG_STATE_HOME: join(demoDir, '.teamtop-state'), TMUX: '', TMUX_TMPDIR: join(demoDir, '.no-tmux') };
}

/** The format a demo runs (--source, default the first): its root in the demo copy. */
export function demoRoot(source: string | undefined, demoDir: string): string {
  const f = source === undefined ? FORMATS[0]! : formatById(source);
  if (!f) throw new UsageError(`--source is ${FORMATS.map((x) => x.id).join(' or ')}, not ${JSON.stringify(source)}`);
  return f.demoRoot(demoDir);
}

/** What the interactive demo of a format adds to its copy (e.g. scratch git repositories), being built. */
export async function prepareInteractiveDemo(source: string | undefined, demoDir: string): Promise<DemoExtras> {
  const f = source === undefined ? FORMATS[0]! : formatById(source);
  return (await f?.demo?.interactive?.(f.demoRoot(demoDir))) ?? { dirs: [], ready: Promise.resolve() };
}

/** A simulator for a demo's source, when its format has one. */
export function demoSimulator(source: StateSource): Simulator | null {
  return formatById(source.kind)?.simulator?.(source.root) ?? null;
}

/** `background`: index large mailboxes after the first frame (the TUI); headless commands wait. */
export async function createSource(v: SourceChoice, env: NodeJS.ProcessEnv = process.env, background = false): Promise<StateSource> {
  const named = v.source === undefined ? undefined : formatById(v.source);
  if (v.source !== undefined && !named) {
    throw new UsageError(`--source is ${FORMATS.map((f) => f.id).join(' or ')}, not ${JSON.stringify(v.source)}`);
  }
  // --claude-dir is Claude Code's own name for the root.
  if (named && named.id !== 'claude' && v['claude-dir']) throw new UsageError('--claude-dir goes with --source claude');
  const opts = { now: Date.now, background, repo: v.repo ? resolve(v.repo) : undefined, baseRef: v['base-ref'], stateDir: teamtopStateDir(env), tmuxEnv: env };
  let format: SourceFormat;
  let root: string;
  if (named || v['claude-dir']) {
    format = named ?? formatById('claude')!;
    const given = v['claude-dir'] ?? v.root ?? v.positional;
    root = given !== undefined ? resolve(given) : format.defaultRoot(env);
  } else {
    const given = v.root ?? v.positional;
    root = given !== undefined ? resolve(given) : formatById('native')!.defaultRoot(env);
    format = await detectFormat(root);
  }
  if (!format.repoOptions && (v.repo || v['base-ref'])) {
    throw new UsageError(`--repo and --base-ref are for ${REPO_TEAMS} (a ${format.teamsLabel ?? format.id} team names its repo in its own files)`);
  }
  return format.open(root, opts);
}
