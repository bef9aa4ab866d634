// A team's transcripts, kept current: finds and matches them (again at most every relocateMs, or
// when asked), and tails each matched file with one TranscriptReader.
import type { TranscriptStats } from './aggregate.js';
import { findSessionTranscripts, HeadCache } from './locate.js';
import { isInProcess, matchTranscripts, type MemberInfo, type TranscriptMatch } from './match.js';
import { TranscriptReader } from './reader.js';

/** What the team's config.json says that locating needs. */
export interface TeamTranscriptConfig {
  /** The lead's working directory (its project directory holds the team's sessions). */
  cwd: string | null;
  leadSessionId: string | null;
  /** The lead's own entry in `members` has this agent id (or tmuxPaneId "leader"). */
  leadAgentId?: string | null;
  members: readonly MemberInfo[];
}

export interface TeamTranscriptOptions {
  /** CLAUDE_CODE_PROJECT_DIR_NAME, when set. */
  projectDirOverride?: string | null;
  /** Transcripts are located again at most this often (ms) unless relocate() asks; default 10 s. */
  relocateMs?: number;
  /** Session and subagent files examined per project directory (see MAX_CANDIDATES). */
  maxCandidates?: number;
  now?: () => number;
}

/** A member's transcript aggregates, with the file and why it is that member's. */
export type MemberTranscript = TranscriptStats & TranscriptMatch;

/** statsFor's name for the lead (the lead's own member entry, if any, gets the same transcript). */
export const LEAD = 'lead';
const NOTES_KEPT = 50;

export class TeamTranscripts {
  private readonly readers = new Map<string, TranscriptReader>();
  private matches = new Map<string, TranscriptMatch>();
  private readonly heads = new HeadCache();
  private locatedAt: number | null = null;
  private due = true;
  private found: string[] = [];
  private busy: Promise<boolean> | null = null;

  constructor(readonly claudeDir: string, private team: TeamTranscriptConfig, private readonly opts: TeamTranscriptOptions = {}) {}

  /** The team's config changed (a member joined…): locate again on the next poll. */
  update(team: TeamTranscriptConfig): void {
    this.team = team;
    this.due = true;
  }

  /** Locate again on the next poll, however recent the last time. */
  relocate(): void {
    this.due = true;
  }

  /**
   * Locates and matches when due, then reads what each matched transcript gained. Resolves true
   * when anything changed (a match, or a transcript's aggregates). A call made while one runs
   * shares it. Never rejects for a file: unreadable files are left out, with a note.
   */
  poll(): Promise<boolean> {
    this.busy ??= this.run().finally(() => { this.busy = null; });
    return this.busy;
  }

  /** The aggregates of a member's transcript (`LEAD` for the lead's), or null when none is matched. */
  statsFor(member: string): MemberTranscript | null {
    const match = this.matches.get(member);
    const reader = match && this.readers.get(match.path);
    return match && reader ? { ...reader.stats(), ...match } : null;
  }

  /** Files left out or unreadable right now, and why. */
  notes(): string[] {
    const problems = [...this.readers.values()].flatMap((r) => {
      const p = r.stats().problem;
      return p === null ? [] : [`${r.path}: ${p}`];
    });
    return [...this.found, ...problems];
  }

  private async run(): Promise<boolean> {
    const now = (this.opts.now ?? Date.now)();
    let changed = false;
    if (this.due || this.locatedAt === null || now - this.locatedAt >= (this.opts.relocateMs ?? 10_000)) {
      this.due = false;
      this.locatedAt = now;
      changed = await this.locate();
    }
    const read = await Promise.all([...this.readers.values()].map((r) => r.poll()));
    return read.some(Boolean) || changed;
  }

  /** Whether the matches changed. */
  private async locate(): Promise<boolean> {
    const t = this.team;
    const isLead = (m: MemberInfo): boolean => m.tmuxPaneId === 'leader' || (!!t.leadAgentId && m.agentId === t.leadAgentId)
      || (!!t.leadSessionId && m.sessionId === t.leadSessionId && !isInProcess(m));
    const others = t.members.filter((m) => !isLead(m));
    let located;
    try {
      located = await findSessionTranscripts(this.claudeDir, t.cwd, t.leadSessionId, {
        projectDirOverride: this.opts.projectDirOverride,
        extraCwds: others.flatMap((m) => (m.cwd && m.cwd !== t.cwd ? [m.cwd] : [])),
        sessionIds: others.flatMap((m) => (m.sessionId ? [m.sessionId] : [])),
        maxCandidates: this.opts.maxCandidates,
        heads: this.heads,
      });
    } catch (e) {
      // Keep what was matched: a directory that cannot be listed now may be back next time.
      this.found = [`transcripts not located: ${(e as NodeJS.ErrnoException).code ?? String(e)}`];
      return false;
    }
    this.found = located.notes.slice(-NOTES_KEPT);
    const next = new Map<string, TranscriptMatch>();
    const lead = located.candidates.find((c) => c.kind === 'lead');
    if (lead) {
      for (const m of t.members) if (isLead(m)) next.set(m.name, { path: lead.path, basis: 'session id' });
      next.set(LEAD, { path: lead.path, basis: 'session id' });
    }
    for (const [name, match] of matchTranscripts(others, located.candidates)) if (!next.has(name)) next.set(name, match);
    const paths = new Set([...next.values()].map((m) => m.path));
    for (const p of this.readers.keys()) if (!paths.has(p)) this.readers.delete(p);
    for (const p of paths) if (!this.readers.has(p)) this.readers.set(p, new TranscriptReader(p));
    const changed = !sameMatches(this.matches, next);
    this.matches = next;
    return changed;
  }
}

function sameMatches(a: Map<string, TranscriptMatch>, b: Map<string, TranscriptMatch>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.path !== v.path || w.basis !== v.basis) return false;
  }
  return true;
}
