// What teamtop learns about a Claude Code team's members beside its team files: whether their
// tmux panes are still there (src/tmux) and what their transcripts say (./transcripts) — context
// use, tokens, the last tool call, compactions, the last write. One reader per team, refreshed by
// the source (once for a headless command, every few seconds while watching).
import type { Liveness } from '../../model/types.js';
import { contextWindowFor } from '../../model/context-window.js';
import { paneLiveness, probePanes, isPaneId, type PaneProbe, type TmuxEnv } from '../../tmux/panes.js';
import { LEAD, TeamTranscripts, type MemberTranscript, type TeamTranscriptConfig } from './transcripts/index.js';
import type { MemberSignals, TranscriptSummary } from './team-snapshot.js';
import type { ClaudeConfig } from './schemas.js';

/** A probe that asked nothing: no member of the team has a tmux pane. */
const NO_PANES: PaneProbe = { reachable: false, reason: 'no tmux pane to ask about' };

export class SignalReader {
  private transcripts: TeamTranscripts | null = null;
  private configKey = '';

  constructor(private readonly claudeDir: string, private readonly env: TmuxEnv = process.env) {}

  /** The signals for every member of `config` (and its lead, under its name). */
  async read(config: ClaudeConfig | null, lead: string, opts: { panes?: boolean } = {}): Promise<Map<string, MemberSignals>> {
    const out = new Map<string, MemberSignals>();
    if (!config) return out;
    const members = config.members;
    const team: TeamTranscriptConfig = {
      cwd: members.find((m) => m.name === lead)?.cwd ?? members.find((m) => m.cwd)?.cwd ?? null,
      leadSessionId: config.leadSessionId ?? null,
      leadAgentId: config.leadAgentId ?? null,
      members: members.map((m) => ({
        name: m.name, agentId: m.agentId ?? null, sessionId: str(m.sessionId), prompt: str(m.prompt), cwd: m.cwd ?? null,
        joinedAt: m.joinedAt ?? null, backendType: m.backendType ?? null, tmuxPaneId: m.tmuxPaneId ?? null,
      })),
    };
    const key = JSON.stringify(team);
    if (!this.transcripts) {
      this.transcripts = new TeamTranscripts(this.claudeDir, team, { projectDirOverride: this.env.CLAUDE_CODE_PROJECT_DIR_NAME ?? null });
    } else if (key !== this.configKey) this.transcripts.update(team);
    this.configKey = key;
    const panes = opts.panes === false ? [] : members.map((m) => m.tmuxPaneId).filter(isPaneId);
    const [probe] = await Promise.all([panes.length ? probePanes(panes, this.env) : Promise.resolve(NO_PANES), this.transcripts.poll()]);
    for (const m of members) {
      const tr = this.transcripts.statsFor(m.name) ?? (m.name === lead ? this.transcripts.statsFor(LEAD) : null);
      const liveness: Liveness | null = opts.panes === false ? null : paneLiveness({ tmuxPaneId: m.tmuxPaneId ?? null, backendType: m.backendType ?? null }, probe);
      out.set(m.name, { ...(liveness ? { liveness } : {}), ...(tr ? { transcript: summary(tr) } : {}) });
    }
    if (!out.has(lead)) {
      const tr = this.transcripts.statsFor(LEAD);
      if (tr) out.set(lead, { transcript: summary(tr) });
    }
    return out;
  }

  /** Files left out or unreadable, for the team's notes. */
  notes(): string[] {
    return this.transcripts?.notes() ?? [];
  }
}

function summary(t: MemberTranscript): TranscriptSummary {
  return {
    path: t.path, basis: t.basis, model: t.model,
    contextUsed: t.contextUsed, contextMax: t.contextUsed === null ? null : contextWindowFor(t.model),
    tokensTotal: t.tokensTotal, lastTool: t.lastTool, lastActivity: t.lastActivity,
    compactions: t.compactions.flatMap((c) => (c.at === null ? [] : [{ at: c.at, trigger: c.how ? `${c.trigger} (${c.how})` : c.trigger, before: c.before, after: c.after }])),
  };
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
