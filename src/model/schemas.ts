// Zod schemas for the native team-state files (docs/state-format.md). Each accepts every field
// variant the format allows and keeps unknown fields; the normalize* functions turn a validated
// record into the model, so nothing downstream sees `task_id` vs `id`.
import * as z from 'zod';
import type {
  Checkpoint, Deliverable, Message, Recipients, Task, TaskStatus, TeamEvent, TeamInfo, TeamStatus, Teammate,
} from './types.js';
import { isTimeMs, parseIsoTime, toMs } from './time.js';

/** An ISO 8601 time (or epoch milliseconds) that Date can parse. */
const time = z.union([
  z.string().refine((s) => !Number.isNaN(parseIsoTime(s)), { message: 'not an ISO 8601 time (a date that exists, 00:00–23:59)' }),
  z.number().refine(isTimeMs, { message: 'not a time: epoch milliseconds out of range' }),
]);
const id = z.union([z.string().min(1), z.number().int()]).transform((v) => String(v));
const optStr = z.string().nullish();
const optNum = z.number().finite().nullish();
const optInt = z.number().int().nullish();

// ---------- team.json ----------
export const TEAM_STATUSES = ['forming', 'active', 'halted', 'aborted', 'complete'] as const;

export const teamFileSchema = z.looseObject({
  team_id: z.string().nullish(),
  team_status: z.enum(TEAM_STATUSES).nullish(),
  created_at: time.nullish(),
  lead: z.looseObject({
    id: z.string().nullish(),
    last_heartbeat: time.nullish(),
    status: optStr,
  }).nullish(),
  lead_session_id: optStr,
  repo: optStr,
  base_ref: optStr,
});
export type TeamFile = z.infer<typeof teamFileSchema>;

const TEAM_KNOWN = new Set(['team_id', 'team_status', 'created_at', 'lead', 'lead_session_id', 'repo', 'base_ref']);

export function normalizeTeam(f: TeamFile): TeamInfo {
  return {
    status: (f.team_status ?? null) as TeamStatus | null,
    createdAt: toMs(f.created_at),
    lead: {
      id: f.lead?.id ?? null,
      lastHeartbeat: toMs(f.lead?.last_heartbeat),
      status: f.lead?.status ?? null,
      activitySignal: f.lead?.last_heartbeat ? 'heartbeat' : null,
    },
    leadSessionId: f.lead_session_id ?? null,
    repo: f.repo ?? null,
    baseRef: f.base_ref ?? null,
    extra: pickExtra(f, TEAM_KNOWN),
  };
}

// ---------- teammates.json ----------
export const teammateSchema = z.looseObject({
  id,
  name: optStr,
  role: optStr,
  status: optStr,
  last_heartbeat: time.nullish(),
  heartbeat_age_seconds: optNum,
  context_tokens_used: optNum,
  context_tokens_max: optNum,
  task_current: optStr,
  task_started_at: time.nullish(),
  completion_percent: optNum,
  messages_pending: optInt,
  last_message_seq: optInt,
});
/** `[...]` or `{"<key>": [...]}`: unwrapped first, so errors name the element and field. */
function listOrWrapped<T extends z.ZodType>(key: string, item: T) {
  return z.preprocess(
    (v) => (v && typeof v === 'object' && !Array.isArray(v) && key in v ? (v as Record<string, unknown>)[key] : v),
    z.array(item, { error: (iss) => (iss.input === undefined ? undefined : `expected an array or {"${key}": [...]}`) }),
  );
}

export const teammatesFileSchema = listOrWrapped('teammates', teammateSchema);
export type TeammateRecord = z.infer<typeof teammateSchema>;

const TEAMMATE_KNOWN = new Set([
  'id', 'name', 'role', 'status', 'last_heartbeat', 'heartbeat_age_seconds', 'context_tokens_used',
  'context_tokens_max', 'task_current', 'task_started_at', 'completion_percent', 'messages_pending',
  'last_message_seq',
]);

/**
 * `fileTime` is the teammates.json modification time: a bare `heartbeat_age_seconds` (used only
 * when `last_heartbeat` is absent) is an age as of that moment, so the age keeps growing after it.
 */
export function normalizeTeammate(r: TeammateRecord, fileTime: number): Teammate {
  let lastHeartbeat = toMs(r.last_heartbeat);
  let activitySignal: Teammate['activitySignal'] = lastHeartbeat !== null ? 'heartbeat' : null;
  if (lastHeartbeat === null && typeof r.heartbeat_age_seconds === 'number') {
    const at = fileTime - r.heartbeat_age_seconds * 1000;
    // An age no clock can express is no signal at all.
    if (isTimeMs(at)) {
      lastHeartbeat = at;
      activitySignal = 'heartbeat_age';
    }
  }
  return {
    id: r.id,
    name: r.name ?? null,
    role: r.role ?? null,
    status: r.status ?? null,
    lastHeartbeat,
    activitySignal,
    contextUsed: r.context_tokens_used ?? null,
    contextMax: r.context_tokens_max ?? null,
    taskCurrent: r.task_current ?? null,
    taskStartedAt: toMs(r.task_started_at),
    completionPercent: r.completion_percent ?? null,
    messagesPending: r.messages_pending ?? null,
    pendingHistory: [],
    lastMessageSeq: r.last_message_seq ?? null,
    extra: pickExtra(r, TEAMMATE_KNOWN),
  };
}

// ---------- team-manifest.json ----------
const deliverableSchema = z.union([
  z.looseObject({ text: z.string(), done: z.boolean().nullish() }),
  z.string().transform((text) => ({ text, done: false })),
]);

export const taskSchema = z.looseObject({
  id: id.optional(),
  task_id: id.optional(),
  name: optStr,
  subject: optStr,
  assigned_to: optStr,
  owner: optStr,
  status: z.enum(['pending', 'in_progress', 'blocked', 'on_hold', 'completed', 'deleted']).nullish(),
  depends_on: z.array(id).nullish(),
  blockedBy: z.array(id).nullish(),
  blocks: z.array(id).nullish(),
  sequence: optNum,
  created_at: time.nullish(),
  started_at: time.nullish(),
  updated_at: time.nullish(),
  completed_at: time.nullish(),
  expected_duration_minutes: optNum,
  completion_percent: optNum,
  blocking_factor: optStr,
  deliverables: z.array(deliverableSchema).nullish(),
  description: optStr,
}).refine((t) => t.id !== undefined || t.task_id !== undefined, { message: 'a task needs "id" or "task_id"' });

export const manifestFileSchema = listOrWrapped('tasks', taskSchema);
export type TaskRecord = z.infer<typeof taskSchema>;

const TASK_KNOWN = new Set([
  'id', 'task_id', 'name', 'subject', 'assigned_to', 'owner', 'status', 'depends_on', 'blockedBy', 'blocks',
  'sequence', 'created_at', 'started_at', 'updated_at', 'completed_at', 'expected_duration_minutes',
  'completion_percent', 'blocking_factor', 'deliverables', 'description',
]);

export function normalizeTask(r: TaskRecord): Task {
  const deliverables: Deliverable[] | null = r.deliverables
    ? r.deliverables.map((d) => ({ text: d.text, done: d.done === true }))
    : null;
  return {
    id: (r.id ?? r.task_id)!,
    name: r.name ?? r.subject ?? null,
    owner: r.assigned_to ?? r.owner ?? null,
    status: (r.status ?? 'pending') as TaskStatus,
    dependsOn: dedupe([...(r.depends_on ?? []), ...(r.blockedBy ?? [])]),
    blocks: dedupe(r.blocks ?? []),
    sequence: r.sequence ?? null,
    createdAt: toMs(r.created_at),
    startedAt: toMs(r.started_at),
    updatedAt: toMs(r.updated_at),
    completedAt: toMs(r.completed_at),
    expectedDurationMinutes: r.expected_duration_minutes ?? null,
    completionPercent: r.completion_percent ?? null,
    blockingFactor: r.blocking_factor ?? null,
    deliverables,
    description: r.description ?? null,
    extra: pickExtra(r, TASK_KNOWN),
  };
}

// ---------- mailbox.jsonl ----------
const recipients = z.union([id, z.array(id)]);
const seqList = z.array(z.number().int());

export const messageSchema = z.looseObject({
  sequence: z.number().int(),
  timestamp: time.nullish(),
  from: id.nullish(),
  to: recipients.nullish(),
  type: z.string().nullish(),
  priority: optStr,
  payload: z.unknown().optional(),
  ack_sequence: z.union([z.number().int(), seqList]).nullish(),
  ack_required: z.boolean().nullish(),
  required_response: z.boolean().nullish(),
  timeout: z.union([z.string(), z.number()]).nullish(),
  resending_sequences: seqList.nullish(),
});
export type MessageRecord = z.infer<typeof messageSchema>;

const MESSAGE_KNOWN = new Set([
  'sequence', 'timestamp', 'from', 'to', 'type', 'priority', 'payload', 'ack_sequence', 'ack_required',
  'required_response', 'timeout', 'resending_sequences',
]);

/** "30sec", "5min", "2h", "45s", or a number of seconds. Null when it cannot be read. */
export function parseDuration(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v * 1000 : null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours)?\s*$/i.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  if (unit === 'ms') return n;
  if (unit.startsWith('h')) return n * 3_600_000;
  if (unit.startsWith('m')) return n * 60_000;
  return n * 1000;
}

export function normalizeRecipients(to: string | string[] | null | undefined): Recipients {
  if (to === null || to === undefined) return [];
  if (Array.isArray(to)) return to.includes('all') ? 'all' : to;
  return to === 'all' ? 'all' : [to];
}

export function normalizeMessage(r: MessageRecord, line: number): Message {
  const ack = r.ack_sequence;
  return {
    sequence: r.sequence,
    timestamp: toMs(r.timestamp),
    from: r.from ?? null,
    to: normalizeRecipients(r.to),
    type: r.type ?? 'message',
    priority: r.priority ?? null,
    payload: r.payload,
    ackSequences: ack === null || ack === undefined ? [] : Array.isArray(ack) ? ack : [ack],
    ackRequired: r.ack_required === true || r.required_response === true,
    timeoutMs: parseDuration(r.timeout),
    resendingSequences: r.resending_sequences ?? [],
    line,
    protocol: null,
    extra: pickExtra(r, MESSAGE_KNOWN),
  };
}

// ---------- events.jsonl ----------
export const eventSchema = z.looseObject({
  timestamp: time.nullish(),
  type: z.string().min(1),
});

export function normalizeEvent(r: z.infer<typeof eventSchema>, line: number): TeamEvent {
  const { timestamp, type, ...data } = r;
  return { timestamp: toMs(timestamp), type, line, data };
}

// ---------- checkpoints/*.json ----------
export const checkpointSchema = z.looseObject({
  checkpoint_id: optStr,
  teammate_id: id.nullish(),
  teammate: id.nullish(),
  timestamp: time.nullish(),
  task_id: id.nullish(),
  completion_percent: optNum,
  last_action: optStr,
  next_step: optStr,
  files_modified: z.union([z.array(z.string()), z.number()]).nullish(),
  notes: optStr,
});

export function normalizeCheckpoint(
  r: z.infer<typeof checkpointSchema>, file: string, fallbackTeammate: string,
): Checkpoint {
  return {
    file,
    checkpointId: r.checkpoint_id ?? null,
    teammateId: r.teammate_id ?? r.teammate ?? fallbackTeammate,
    timestamp: toMs(r.timestamp),
    taskId: r.task_id ?? null,
    completionPercent: r.completion_percent ?? null,
    lastAction: r.last_action ?? null,
    nextStep: r.next_step ?? null,
    filesModified: Array.isArray(r.files_modified) ? r.files_modified : [],
    notes: r.notes ?? null,
    raw: r as Record<string, unknown>,
  };
}

// ---------- helpers ----------
function pickExtra(o: object, known: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (!known.has(k)) out[k] = v;
  return out;
}

function dedupe(a: string[]): string[] {
  return [...new Set(a)];
}

/** A one-paragraph description of a validation failure (zod's own wording, prettified). */
export function describeZodError(e: z.ZodError): string {
  return z.prettifyError(e).replace(/\s*\n\s*/g, '; ');
}

// ---------- rollback.json (teamtop's own journal of an abort / undo-abort) ----------
export const rollbackJournalSchema = z.looseObject({
  op: z.enum(['abort', 'undo-abort']),
  state: z.enum(['in-progress', 'done']),
  started_at: z.string(),
  updated_at: z.string(),
  backup_ref: z.string().nullable(),
  restore_ref: z.string().nullable(),
  backups: z.array(z.string()).default([]),
  tree_changed: z.boolean().optional(),
  steps: z.array(z.string()).default([]),
  done: z.number().int().nonnegative(),
  error: z.string().optional(),
});
