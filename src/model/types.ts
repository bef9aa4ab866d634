// The normalized team model: the entities every state source loads its files into, so
// detectors, actions and panes never see format variants. The snapshot that carries them (and
// the format adapter that answers for the format) is in snapshot.ts.
// Times are epoch milliseconds (number) or null when unknown.

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
/** How tables, reports and `check` name a severity in four columns or less. */
export const SEVERITY_LABEL: Readonly<Record<Severity, string>> = { critical: 'CRIT', high: 'HIGH', medium: 'MED', low: 'LOW' };

export type TeamStatus = 'forming' | 'active' | 'halted' | 'aborted' | 'complete';

export type TaskStatus = 'pending' | 'in_progress' | 'blocked' | 'on_hold' | 'completed' | 'deleted';
export const TASK_STATUSES: readonly TaskStatus[] = [
  'pending', 'in_progress', 'blocked', 'on_hold', 'completed', 'deleted',
];

/** Where a teammate's last-activity time came from (Claude Code teams have no heartbeat). */
export type ActivitySignal = 'heartbeat' | 'heartbeat_age' | 'message' | 'idle_notification' | 'task_file' | 'is_active' | 'transcript' | 'joined';

/**
 * Whether a teammate is alive as far as a signal stronger than activity can tell (Claude Code: its
 * tmux pane). `dead` is proof (the pane is gone, or its process exited); `unknown` is no proof
 * either way (no pane to ask about, tmux not reachable) and never counts as dead.
 */
export interface Liveness {
  state: 'alive' | 'dead' | 'unknown';
  /** What decided: "tmux pane %12", "no pane (in-process)", "tmux not reachable: …". */
  signal: string;
}

/** The last tool call a teammate made (from its transcript), for the "doing" column. */
export interface Doing {
  tool: string;
  /** A short argument (a command, a file), unsanitized: displays sanitize it. */
  arg: string;
  at: number | null;
}

/** The transcript a teammate's context and activity come from, and why it is that one. */
export interface TranscriptLink {
  path: string;
  /** How it was matched: "session id", "agent id", "spawn prompt", "cwd and join time". */
  basis: string;
  model: string | null;
}

export interface Teammate {
  id: string;
  name: string | null;
  role: string | null;
  status: string | null;
  /** Last heartbeat or derived activity, epoch ms. */
  lastHeartbeat: number | null;
  activitySignal: ActivitySignal | null;
  /** The format says the teammate is active right now (Claude Code's isActive): no age applies. */
  activeNow?: boolean;
  contextUsed: number | null;
  contextMax: number | null;
  taskCurrent: string | null;
  taskStartedAt: number | null;
  completionPercent: number | null;
  messagesPending: number | null;
  /** Earlier observed values of messagesPending, oldest first (for "growing" detection). */
  pendingHistory: number[];
  lastMessageSeq: number | null;
  /** Fields the format has that the model does not name. */
  extra: Record<string, unknown>;
  /** Claude Code: the pane check (absent where the format has none). */
  liveness?: Liveness;
  /** The tmux pane the teammate runs in ("%12"), when it has one. */
  pane?: string;
  /** Tokens used so far (input, cache writes and output of every turn), from a transcript. */
  tokensTotal?: number | null;
  doing?: Doing | null;
  transcript?: TranscriptLink | null;
}

export interface Deliverable {
  text: string;
  done: boolean;
}

export interface Task {
  id: string;
  name: string | null;
  owner: string | null;
  status: TaskStatus;
  /** Ids this task waits on. */
  dependsOn: string[];
  /** Ids this task blocks (as declared; the reverse of dependsOn is derived separately). */
  blocks: string[];
  sequence: number | null;
  createdAt: number | null;
  startedAt: number | null;
  updatedAt: number | null;
  completedAt: number | null;
  expectedDurationMinutes: number | null;
  completionPercent: number | null;
  blockingFactor: string | null;
  deliverables: Deliverable[] | null;
  description: string | null;
  extra: Record<string, unknown>;
  /** When the owner's claim on the task runs out, for formats whose claims are leases. */
  leaseUntil?: number | null;
}

export type Recipients = string[] | 'all';

export interface Message {
  sequence: number;
  timestamp: number | null;
  from: string | null;
  to: Recipients;
  type: string;
  priority: string | null;
  payload: unknown;
  /** Sequences this message acknowledges (ack messages). */
  ackSequences: number[];
  /** The sender asked for an answer (ack_required or required_response). */
  ackRequired: boolean;
  /** Explicit timeout from the message, ms. */
  timeoutMs: number | null;
  resendingSequences: number[];
  /** 1-based line in mailbox.jsonl, or index within the source's merged mailbox. */
  line: number;
  /** Claude Code: parsed protocol message type carried in `text`. */
  protocol: Record<string, unknown> | null;
  extra: Record<string, unknown>;
  /** A request that blocks its sender until the lead answers (the format recognises them). */
  approval?: ApprovalRequest;
  /** The request this message answers ("<kind>:<id>"). */
  answers?: string;
  /** A readable line for a protocol message (unsanitized). */
  text?: string;
}

/** A teammate waiting for the lead's answer: a tool permission, network access, a plan. */
export interface ApprovalRequest {
  kind: 'permission' | 'sandbox' | 'plan';
  /** The request's id, as its answer names it. */
  id: string;
  /** Who waits. */
  from: string | null;
  /** What it asks, in a few words (unsanitized). */
  what: string;
}

export type AckState = 'none' | 'acked' | 'awaiting' | 'timed-out';

export interface TeamEvent {
  timestamp: number | null;
  type: string;
  line: number;
  data: Record<string, unknown>;
}

export interface Checkpoint {
  file: string;
  checkpointId: string | null;
  teammateId: string;
  timestamp: number | null;
  taskId: string | null;
  completionPercent: number | null;
  lastAction: string | null;
  nextStep: string | null;
  filesModified: string[];
  notes: string | null;
  raw: Record<string, unknown>;
}

/** A file or line that failed to parse or validate. Shown as an invalid-state alert. */
export interface StateError {
  file: string;
  line: number | null;
  message: string;
  /** When the problem was first seen (epoch ms). */
  at: number;
  /** For skipped mailbox lines: how many lines share this problem. */
  count?: number;
  /** For a problem of the root that is about one team's directory: that team's directory name. */
  team?: string;
}

export interface LeadInfo {
  id: string | null;
  lastHeartbeat: number | null;
  status: string | null;
  activitySignal: ActivitySignal | null;
}

export interface TeamInfo {
  status: TeamStatus | null;
  createdAt: number | null;
  lead: LeadInfo;
  leadSessionId: string | null;
  repo: string | null;
  baseRef: string | null;
  extra: Record<string, unknown>;
}

/**
 * Incrementally maintained facts about the whole mailbox. Detectors use these rather than the
 * message list, so they stay cheap however long the mailbox grows.
 */
export interface MailboxAggregates {
  total: number;
  skipped: number;
  minSequence: number | null;
  maxSequence: number | null;
  /** Missing sequence ranges between min and max, inclusive bounds. */
  gaps: Array<[number, number]>;
  /** How many sequence numbers are missing in all (gaps may be capped). */
  missingCount: number;
  duplicates: number;
  /** Messages that asked for an answer and have not had one, keyed by recipient. */
  unacked: Map<string, PendingAck[]>;
  /** Per recipient, the highest sequence of an ack-requiring message that was acknowledged. */
  lastAckedSeq: Map<string, number>;
  lastTimestamp: number | null;
}

export interface PendingAck {
  sequence: number;
  timestamp: number | null;
  timeoutMs: number | null;
  type: string;
  from: string | null;
  /** For broadcasts: who has acknowledged so far. */
  ackedBy: string[];
}

export interface MailboxView {
  aggregates: MailboxAggregates;
  /** The most recent messages, oldest first (a bounded window). */
  recent: Message[];
  /** Index of recent[0] in the whole mailbox (0-based). */
  recentStart: number;
  /**
   * Which file the positions are of: changes when the file is no longer the one read so far
   * (truncated, replaced, rewritten), so messages read back by position before it are void.
   * Absent for formats that keep the whole mailbox in memory.
   */
  epoch?: number;
  /** True until the first full pass over the mailbox has finished. */
  indexing: boolean;
  /** Fraction of that pass done (0..1). */
  progress?: number;
}

export const UNFINISHED: ReadonlySet<TaskStatus> = new Set(['pending', 'in_progress', 'blocked', 'on_hold']);

export function isUnfinished(t: Task): boolean {
  // The same four as UNFINISHED, compared directly: detectors call this for every task, often.
  const s = t.status;
  return s === 'in_progress' || s === 'pending' || s === 'blocked' || s === 'on_hold';
}

export function emptyAggregates(): MailboxAggregates {
  return {
    total: 0, skipped: 0, minSequence: null, maxSequence: null, gaps: [], missingCount: 0, duplicates: 0,
    unacked: new Map(), lastAckedSeq: new Map(), lastTimestamp: null,
  };
}
