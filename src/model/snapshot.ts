// What a state source hands to everything above it: one snapshot per team (immutable; a change
// makes a new one) with the format adapter that answers every format-dependent question —
// capabilities, wording, deadlines, plan adaptation, records, post-mortem files, the replay's
// aggregator — so detectors, planners, reports and components never name a format.
import type { ActionArgs, ActionName, Effect, Plan, PlanContext, RollbackJournal } from '../ports/effects.js';
import type { AckMap } from '../ports/acks.js';
import type { Thresholds } from './thresholds.js';
import type {
  Checkpoint, MailboxAggregates, MailboxView, Message, StateError, Task, TeamEvent, TeamInfo, Teammate,
} from './types.js';

/** What the alert engine and the TUI read: the latest root snapshot, and a change notification. */
export interface SnapshotStore {
  getSnapshot(): RootSnapshot;
  subscribe(listener: () => void): () => void;
}

/** Fed a mailbox's messages in order, keeps its aggregates (the post-mortem replay uses one). */
export interface MailboxAccumulator {
  add(m: Message): void;
  snapshot(): MailboxAggregates;
}

/** A file or directory of a team's state, for post-mortem copies. */
export interface StateFile {
  /** Absolute path. */
  path: string;
  /** Its name in the report. */
  name: string;
  dir?: boolean;
}

/** Everything that depends on a team's on-disk format. One per format, under src/sources/<format>/. */
export interface FormatAdapter {
  /** The format's id: what --source takes. */
  readonly id: string;
  /** How reports name it ("team-state format", "Claude Code team"). */
  readonly label: string;
  readonly capabilities: TeamCapabilities;
  /** The word for a message still waiting for its answer ("unacknowledged", "unread"). */
  readonly unackedWord: string;
  /** How long a message that asks for an answer may wait for it, ms. */
  ackTimeoutMs(m: Pick<Message, 'timeoutMs'>, t: Thresholds): number;
  /** Flags of a message in words, for timelines ("ack required"). */
  messageFlags(m: Message): string[];
  /** Where a message stands, when the format records it ("read", "unread"), for timelines. */
  messageState(m: Message): string | null;
  /** A fresh accumulator of mailbox aggregates (the replay feeds it messages in order). */
  newAggregator(): MailboxAccumulator;
  /**
   * Says the effects a native planner produced in this format's terms; throws (with the reason)
   * to refuse. Absent: the plan stands as it is.
   */
  adaptPlan?(action: ActionName, team: TeamSnapshot, args: ActionArgs, ctx: PlanContext, plan: Plan, effects: Effect[]): Effect[];
  /** A description of an effect in this format's terms, or undefined for the generic one. */
  describeEffect?(e: Effect): string | undefined;
  /** teamtop's own records for a team (actions.jsonl and so on). */
  recordsDir(team: TeamSnapshot): string;
  /** Where post-mortems go by default: under the state root, or teamtop's own records (never the current directory). */
  reportsDir(team: TeamSnapshot, root: string): string;
  /** The state a post-mortem copies. */
  stateFiles(team: TeamSnapshot): StateFile[];
  /** The team with every message of its mailbox (the live view may hold a recent window only). */
  completeMailbox(team: TeamSnapshot): Promise<{ team: TeamSnapshot; skippedLines: number }>;
  /** Which of the state is a history, for a report's notes. */
  readonly historyNote: string;
  /** How to give a team of this format a repository and a base ref, for refusals. */
  readonly hints: { repo: string; baseRef: string };
}

export interface TeamCapabilities {
  /** Which actions the format can express; the value is the reason when it cannot. */
  actions: Record<string, true | string>;
  heartbeats: boolean;
  contextTokens: boolean;
  deliverables: boolean;
  sequences: boolean;
}

export interface TeamSnapshot {
  id: string;
  /** The format's id (format.id), as data: code asks `format`, it never branches on this. */
  source: string;
  /** Answers every question whose answer depends on the format. */
  format: FormatAdapter;
  dir: string;
  info: TeamInfo;
  teammates: Teammate[];
  tasks: Task[];
  mailbox: MailboxView;
  events: TeamEvent[];
  /** All checkpoints, newest last, per teammate id. */
  checkpoints: Map<string, Checkpoint[]>;
  errors: StateError[];
  capabilities: TeamCapabilities;
  /** Acknowledged alerts: alert id -> evidence fingerprint at the time. */
  acks: AckMap;
  /** The journal of the team's last rollback, or null. */
  rollback: RollbackJournal | null;
  /** Increases on every change to this team. */
  version: number;
  /** Where the team works and when it started (a session team is named by a hash only). */
  origin?: { cwd: string | null; startedAt: number | null };
  /**
   * The team's own directory is gone (Claude Code deletes it when the session ends): the team is
   * shown from teamtop's kept copy, as last seen at this time.
   */
  endedAt?: number | null;
  /** Where teamtop keeps its own records for the team, when not in the team's directory. */
  recordsDir?: string;
  /** Where the format keeps the team's other files, by name (the format's adapter reads it). */
  files?: Record<string, string>;
  /** Parts of the model the team's files cannot fill right now, with the reason (shown, and the detectors that need them say so). */
  unavailable?: { tasks?: string };
}

export interface ArchivedTeam {
  id: string;
  dirName: string;
  dir: string;
  abortedAt: string;
}

export interface RootSnapshot {
  root: string;
  /** The format's id. */
  source: string;
  teams: TeamSnapshot[];
  archived: ArchivedTeam[];
  /** Problems with the root itself (not a team). */
  errors: StateError[];
  version: number;
}

/**
 * A team with nothing in it yet: no teammate, task, message or error (a Claude Code session with
 * agent teams on, before it spawns anyone). Lists fold these; a team with a broken file is never quiet.
 */
export function isQuietTeam(t: TeamSnapshot): boolean {
  return t.teammates.length === 0 && t.tasks.length === 0 && t.mailbox.aggregates.total === 0
    && t.mailbox.recent.length === 0 && t.errors.length === 0;
}

export function latestCheckpoint(team: TeamSnapshot, teammateId: string): Checkpoint | null {
  const list = team.checkpoints.get(teammateId);
  return list && list.length > 0 ? list[list.length - 1]! : null;
}

