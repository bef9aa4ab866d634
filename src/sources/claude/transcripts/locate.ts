// Where a team's transcripts are: ~/.claude/projects/<projectDir>/ holds one <sessionId>.jsonl per
// session started in that directory (the lead's, and each tmux teammate's: they run sessions of
// their own), and <sessionId>/subagents/agent-<agentId>.jsonl (+ .meta.json) for the in-process
// teammates of a session. Every candidate is examined by its head only.
import { promises as fsp, type Stats } from 'node:fs';
import { join } from 'node:path';
import { readRegularTextOrNull, UnreadableFileError } from '../../../files/read.js';
import { readHead, type TranscriptHead } from './head.js';
import { isObj } from './text.js';

/** Claude Code cuts longer project directory names here and appends a hash we cannot reproduce. */
export const PROJECT_DIR_NAME_MAX = 200;
/**
 * How many session files (and, apart, subagent files) of a project directory are examined: the
 * newest by modification time. A project used for months holds thousands of sessions; a live
 * team's are among the newest. Session ids asked for by name are examined regardless.
 */
export const MAX_CANDIDATES = 200;
/** How many working directories besides the lead's are searched (teammates in worktrees). */
const MAX_EXTRA_CWDS = 16;

/** A session or agent id that is safe as a path component. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const isSafeId = (s: string | null | undefined): s is string => typeof s === 'string' && SAFE_ID.test(s) && !s.includes('..');

function sanitized(cwd: string): string {
  // Per UTF-16 unit, like Claude Code: an "é" in NFC is one '-', an emoji two.
  return cwd.normalize('NFC').replace(/[^a-zA-Z0-9]/g, '-');
}

function isComponent(s: string | null | undefined): s is string {
  return typeof s === 'string' && s !== '' && s !== '.' && s !== '..' && !/[/\\\0]/.test(s);
}

/**
 * The name of the project directory of `cwd` (pass its realpath): every character outside
 * [a-zA-Z0-9] becomes '-'. For a name over PROJECT_DIR_NAME_MAX characters this is only the prefix
 * Claude Code keeps (the real name continues with "-<hash>"): projectDirsFor finds it by prefix.
 * `override` (CLAUDE_CODE_PROJECT_DIR_NAME) is used as is when it is a single path component.
 */
export function projectDirName(cwd: string, override?: string | null): string {
  if (isComponent(override)) return override;
  return sanitized(cwd).slice(0, PROJECT_DIR_NAME_MAX);
}

async function isDir(path: string): Promise<boolean> {
  // lstat: a project directory that is a symbolic link is not followed.
  return fsp.lstat(path).then((st) => st.isDirectory(), () => false);
}

/** The existing project directories of `cwd` (absolute paths), for its realpath and as given. */
export async function projectDirsFor(claudeDir: string, cwd: string, override?: string | null): Promise<string[]> {
  const root = join(claudeDir, 'projects');
  if (isComponent(override)) return (await isDir(join(root, override))) ? [join(root, override)] : [];
  const forms = new Set([cwd]);
  const real = await fsp.realpath(cwd).catch(() => null);
  if (real !== null) forms.add(real);
  const out = new Set<string>();
  let listing: string[] | null = null;
  for (const form of forms) {
    const name = sanitized(form);
    if (name.length <= PROJECT_DIR_NAME_MAX) {
      if (await isDir(join(root, name))) out.add(join(root, name));
      continue;
    }
    // The hash differs between runtimes, so there may be more than one such directory.
    listing ??= await fsp.readdir(root).catch(() => []);
    const prefix = name.slice(0, PROJECT_DIR_NAME_MAX) + '-';
    for (const n of listing) if (n.startsWith(prefix) && (await isDir(join(root, n)))) out.add(join(root, n));
  }
  return [...out];
}

export interface TranscriptCandidate {
  path: string;
  /** The lead's own session, an in-process teammate's subagent file, or another session. */
  kind: 'lead' | 'subagent' | 'session';
  /** The session id its file name gives (lead and session files; a subagent's lines carry its parent's). */
  fileSessionId: string | null;
  /** The agent id its file name gives (agent-<id>.jsonl). */
  fileAgentId: string | null;
  /** Its sidecar agent-<id>.meta.json when readable (every field optional, unchecked). */
  meta: Record<string, unknown> | null;
  head: TranscriptHead;
  mtimeMs: number;
}

export interface LocateOptions {
  projectDirOverride?: string | null;
  /** Other working directories whose sessions may be teammates' (tmux teammates in worktrees). */
  extraCwds?: readonly string[];
  /** Session ids examined even when not among the newest (members' own session ids). */
  sessionIds?: readonly string[];
  maxCandidates?: number;
  heads?: HeadCache;
}

export interface Located {
  candidates: TranscriptCandidate[];
  /** Files skipped and why (a FIFO, a symbolic link…). */
  notes: string[];
}

/** Heads of files already examined, by path; a head is read again only if its file changed identity. */
export class HeadCache {
  private readonly heads = new Map<string, { ino: number; size: number; head: TranscriptHead }>();
  // Each head holds at most a 4 KiB prompt: 1000 heads stay within a few megabytes.
  constructor(private readonly max = 1000) {}

  async read(path: string, st: Stats): Promise<TranscriptHead> {
    const hit = this.heads.get(path);
    if (hit && hit.ino === st.ino && st.size >= hit.size && hit.head.complete) return hit.head;
    const head = await readHead(path);
    this.heads.delete(path);
    this.heads.set(path, { ino: st.ino, size: st.size, head });
    if (this.heads.size > this.max) this.heads.delete(this.heads.keys().next().value!);
    return head;
  }
}

interface Entry { path: string; name: string; st: Stats }

/** The regular files of `dir` whose names pass `want`, newest first; links and FIFOs are noted. */
async function listFiles(dir: string, want: (name: string) => boolean, notes: string[]): Promise<Entry[]> {
  if (!(await isDir(dir))) return [];
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const out: Entry[] = [];
  for (const name of names) {
    if (!want(name)) continue;
    const path = join(dir, name);
    const st = await fsp.lstat(path).catch(() => null);
    if (st === null) continue;
    if (st.isFile()) out.push({ path, name, st });
    else if (st.isSymbolicLink()) notes.push(`${path}: is a symbolic link: not read`);
    else if (!st.isDirectory()) notes.push(`${path}: is not a regular file: not read`);
  }
  return out.sort((a, b) => b.st.mtimeMs - a.st.mtimeMs);
}

async function readMeta(path: string, notes: string[]): Promise<Record<string, unknown> | null> {
  try {
    const r = await readRegularTextOrNull(path, 64 * 1024);
    if (r === null) return null;
    const v: unknown = JSON.parse(r.text);
    return isObj(v) ? v : null;
  } catch (e) {
    if (e instanceof UnreadableFileError) notes.push(`${path}: ${e.reason}`);
    return null;
  }
}

/**
 * The transcripts that may belong to a team: the lead's <leadSessionId>.jsonl, the subagent files
 * of that session (with their .meta.json), and the other sessions of the lead's project directory
 * and of `opts.extraCwds`' (the newest MAX_CANDIDATES of each kind per directory, plus
 * `opts.sessionIds`). Each is examined by its head (readHead); unreadable ones are left out with a note.
 */
export async function findSessionTranscripts(claudeDir: string, cwd: string | null, leadSessionId: string | null, opts: LocateOptions = {}): Promise<Located> {
  const notes: string[] = [];
  const max = opts.maxCandidates ?? MAX_CANDIDATES;
  const heads = opts.heads ?? new HeadCache();
  const lead = isSafeId(leadSessionId) ? leadSessionId : null;
  const wanted = new Set((opts.sessionIds ?? []).filter(isSafeId));
  const leadDirs = cwd === null ? [] : await projectDirsFor(claudeDir, cwd, opts.projectDirOverride);
  const dirs = new Set(leadDirs);
  for (const c of [...new Set(opts.extraCwds ?? [])].slice(0, MAX_EXTRA_CWDS)) {
    for (const d of await projectDirsFor(claudeDir, c, opts.projectDirOverride)) dirs.add(d);
  }
  const picked: Array<Omit<TranscriptCandidate, 'head'> & { st: Stats }> = [];
  const seen = new Set<string>();
  const pick = (e: Entry, c: Omit<TranscriptCandidate, 'head' | 'path' | 'mtimeMs'>): void => {
    if (seen.has(e.path)) return;
    seen.add(e.path);
    picked.push({ ...c, path: e.path, mtimeMs: e.st.mtimeMs, st: e.st });
  };
  for (const dir of dirs) {
    const sessions = await listFiles(dir, (n) => n.endsWith('.jsonl') && isSafeId(n.slice(0, -6)), notes);
    sessions.forEach((e, i) => {
      const id = e.name.slice(0, -6);
      if (id === lead) pick(e, { kind: 'lead', fileSessionId: id, fileAgentId: null, meta: null });
      else if (i < max || wanted.has(id)) pick(e, { kind: 'session', fileSessionId: id, fileAgentId: null, meta: null });
    });
    if (lead === null || !leadDirs.includes(dir)) continue;
    const subDir = join(dir, lead, 'subagents');
    // agent-acompact-*.jsonl are Claude Code's own compaction runs, never a teammate.
    // (The session directory is checked too: lstat of subDir alone would follow a link there.)
    const subs = (await isDir(join(dir, lead))) ? await listFiles(subDir, (n) => /^agent-.+\.jsonl$/.test(n) && !n.startsWith('agent-acompact-'), notes) : [];
    for (const e of subs.slice(0, max)) {
      const agentId = e.name.slice('agent-'.length, -'.jsonl'.length);
      pick(e, { kind: 'subagent', fileSessionId: null, fileAgentId: agentId, meta: await readMeta(join(subDir, `agent-${agentId}.meta.json`), notes) });
    }
  }
  const candidates: TranscriptCandidate[] = [];
  for (const { st, ...c } of picked) {
    try {
      candidates.push({ ...c, head: await heads.read(c.path, st) });
    } catch (e) {
      if (e instanceof UnreadableFileError) notes.push(`${c.path}: ${e.reason}`);
      else if ((e as NodeJS.ErrnoException).code !== 'ENOENT') notes.push(`${c.path}: cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  return { candidates, notes };
}
