// Which transcript is which teammate's. config.json does not say, so the strongest key available
// decides, strongest first: the member's own session id, its agent id, its spawn prompt, its working
// directory and join time. One transcript never goes to two members.
import type { TranscriptCandidate } from './locate.js';

/** A member as config.json describes it (every field but the name optional). */
export interface MemberInfo {
  name: string;
  agentId?: string | null;
  sessionId?: string | null;
  prompt?: string | null;
  cwd?: string | null;
  /** Epoch ms. */
  joinedAt?: number | null;
  backendType?: string | null;
  tmuxPaneId?: string | null;
}

export type MatchBasis = 'session id' | 'agent id' | 'spawn prompt' | 'cwd and join time';

export interface TranscriptMatch {
  path: string;
  basis: MatchBasis;
}

/** A "cwd and join time" transcript starts at most this long after the member joined… */
const JOIN_WINDOW_MS = 2 * 60_000;
/** …and not before it by more than this (the lead's clock writes joinedAt, the teammate's the transcript). */
const JOIN_SKEW_MS = 5_000;
/** A spawn prompt shorter than this must equal the first message; a longer one may be contained in it. */
const PROMPT_CONTAINED_MIN = 16;
/** How much of a long spawn prompt is looked for (the first message is kept capped). */
const PROMPT_NEEDLE_MAX = 500;

/** Ranks: a higher one wins; the two ways of matching a spawn prompt share a basis. */
const RANK = { session: 50, agent: 40, prompt: 31, name: 30, cwd: 10 } as const;
const BASIS: Record<number, MatchBasis> = {
  [RANK.session]: 'session id', [RANK.agent]: 'agent id', [RANK.prompt]: 'spawn prompt', [RANK.name]: 'spawn prompt', [RANK.cwd]: 'cwd and join time',
};

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
const samePath = (a: string, b: string): boolean => a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The ids under which a member's agent id may appear: whole, before the '@', as a file name part. */
function agentKeys(agentId: string | null | undefined): Set<string> {
  if (!agentId) return new Set();
  const keys = new Set([agentId, agentId.replace(/[^a-zA-Z0-9_-]/g, '-')]);
  const at = agentId.indexOf('@');
  if (at > 0) keys.add(agentId.slice(0, at));
  return keys;
}

/**
 * Whether the spawn prompt names the member as its addressee ("You are <name>", "Your name is
 * <name>", "name: <name>"): a name merely mentioned is not enough.
 */
function namedIn(name: string, text: string): boolean {
  if (name.length < 2) return false;
  const n = `["'\`*]*${escape(name)}(?![\\w-])`;
  return new RegExp(`(?:\\byou are (?:the )?|\\byour name is |\\bname["']?\\s*[:=]\\s*)${n}`, 'i').test(text);
}

export const isInProcess = (m: MemberInfo): boolean => m.backendType === 'in-process' || m.tmuxPaneId === 'in-process';

/** Which kinds of transcript a member can have: in-process teammates write subagent files, pane teammates sessions. */
function kindFits(m: MemberInfo, c: TranscriptCandidate): boolean {
  if (c.kind === 'lead') return false;
  const inPane = m.backendType === 'tmux' || m.backendType === 'iterm2';
  if (isInProcess(m)) return c.kind === 'subagent';
  if (inPane) return c.kind === 'session';
  return true;
}

/** The rank of the strongest key tying member and candidate, or 0. */
function rankOf(m: MemberInfo, c: TranscriptCandidate): number {
  // An in-process teammate runs inside the lead's session: a session id it carries is the lead's.
  if (m.sessionId && c.fileSessionId === m.sessionId && !isInProcess(m)) return RANK.session;
  if (c.kind === 'lead') return 0;
  const keys = agentKeys(m.agentId);
  const metaId = typeof c.meta?.agentId === 'string' ? c.meta.agentId : null;
  if (keys.size > 0 && [c.fileAgentId, metaId, c.head.agentId].some((id) => id !== null && keys.has(id))) return RANK.agent;
  if (!kindFits(m, c)) return 0;
  const first = c.head.firstPrompt === null ? null : squash(c.head.firstPrompt);
  const joined = m.joinedAt ?? null;
  const started = c.head.startedAt;
  if (first !== null && m.prompt) {
    const p = squash(m.prompt);
    if (p !== '' && (first === p || (p.length >= PROMPT_CONTAINED_MIN && first.includes(p.slice(0, PROMPT_NEEDLE_MAX))))) return RANK.prompt;
  }
  // A transcript that began before the member joined is not its spawn.
  const notBefore = joined === null || started === null || started >= joined - JOIN_SKEW_MS;
  if (first !== null && notBefore && namedIn(m.name, first)) return RANK.name;
  if (m.cwd && c.head.cwd && samePath(m.cwd, c.head.cwd) && joined !== null && started !== null) {
    const d = started - joined;
    if (d >= -JOIN_SKEW_MS && d <= JOIN_WINDOW_MS) return RANK.cwd;
  }
  return 0;
}

/**
 * Assigns transcripts to members by name. Every (member, candidate) pair is ranked by its strongest
 * key; pairs are taken best first (ties: the transcript that started closest to the member's join
 * time, then the newest file), skipping members and transcripts already taken. The lead's own
 * transcript (kind 'lead') goes only to a member (not in-process) whose session id is the lead's.
 */
export function matchTranscripts(members: readonly MemberInfo[], candidates: readonly TranscriptCandidate[]): Map<string, TranscriptMatch> {
  const pairs: Array<{ m: MemberInfo; c: TranscriptCandidate; rank: number; gap: number }> = [];
  for (const m of members) {
    for (const c of candidates) {
      const rank = rankOf(m, c);
      if (rank === 0) continue;
      const gap = m.joinedAt != null && c.head.startedAt !== null ? Math.abs(c.head.startedAt - m.joinedAt) : Number.MAX_SAFE_INTEGER;
      pairs.push({ m, c, rank, gap });
    }
  }
  pairs.sort((a, b) => b.rank - a.rank || a.gap - b.gap || b.c.mtimeMs - a.c.mtimeMs || a.c.path.localeCompare(b.c.path));
  const out = new Map<string, TranscriptMatch>();
  const taken = new Set<string>();
  for (const { m, c, rank } of pairs) {
    if (out.has(m.name) || taken.has(c.path)) continue;
    out.set(m.name, { path: c.path, basis: BASIS[rank]! });
    taken.add(c.path);
  }
  return out;
}
