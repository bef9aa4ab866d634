// Claude Code agent teams (~/.claude): config.json, inboxes/<agent>.json, tasks/<team>/<id>.json.
// The format is not officially specified (../shared/guide/claude-code-format.md): every schema is
// loose — extra fields are kept, optional ones may be missing.
import * as z from 'zod';
import { isTimeMs, parseIsoTime } from '../../model/time.js';

/** Epoch milliseconds; anything else (another type, out of Date's range) reads as unknown. */
const epochMs = z.unknown().transform((v) => (isTimeMs(v) ? v : null)).optional();

export const memberSchema = z.looseObject({
  agentId: z.string().optional(),
  name: z.string().min(1),
  agentType: z.string().nullish(),
  model: z.string().nullish(),
  color: z.string().nullish(),
  joinedAt: epochMs,
  tmuxPaneId: z.string().nullish(),
  cwd: z.string().nullish(),
  backendType: z.string().nullish(),
  isActive: z.boolean().nullish(),
});

export const configSchema = z.looseObject({
  name: z.string().nullish(),
  description: z.string().nullish(),
  createdAt: epochMs,
  leadAgentId: z.string().nullish(),
  leadSessionId: z.string().nullish(),
  members: z.array(memberSchema),
});
export type ClaudeConfig = z.output<typeof configSchema>;

export const inboxMessageSchema = z.looseObject({
  from: z.string().nullish(),
  text: z.string().nullish(),
  timestamp: z.string().refine((s) => !Number.isNaN(parseIsoTime(s)), { message: 'not an ISO 8601 time (a date that exists, 00:00–23:59)' }).nullish(),
  read: z.boolean().nullish(),
  summary: z.string().nullish(),
  color: z.string().nullish(),
});
export const inboxSchema = z.array(inboxMessageSchema);
/** An inbox as an array of anything: each entry is validated on its own (a bad one is skipped). */
export const inboxArraySchema = z.array(z.unknown());
export type InboxMessage = z.output<typeof inboxMessageSchema>;

export const taskFileSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number().int()]).transform((v) => String(v)),
  subject: z.string().nullish(),
  description: z.string().nullish(),
  activeForm: z.string().nullish(),
  owner: z.string().nullish(),
  status: z.string().nullish(),
  blocks: z.array(z.union([z.string(), z.number()]).transform((v) => String(v))).nullish(),
  blockedBy: z.array(z.union([z.string(), z.number()]).transform((v) => String(v))).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

/** The protocol object carried in `text`, or null for a plain message. */
export function parseProtocol(text: string | null | undefined): Record<string, unknown> | null {
  if (!text || text[0] !== '{') return null;
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>).type === 'string') {
      return v as Record<string, unknown>;
    }
  } catch {
    // plain text that happens to start with a brace
  }
  return null;
}

/**
 * Claude Code's own, strict task schema (what it validates every task file against; a file that
 * fails is silently dropped): id, subject and description strings, an optional string owner and
 * activeForm, status pending|in_progress|completed, string arrays blocks and blockedBy.
 */
const strictTaskSchema = z.looseObject({
  id: z.string(),
  subject: z.string(),
  description: z.string(),
  activeForm: z.string().optional(),
  owner: z.string().optional(),
  status: z.enum(['pending', 'in_progress', 'completed']),
  blocks: z.array(z.string()),
  blockedBy: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/**
 * A task file as teamtop reads it (tolerant: taskFileSchema) and, beside it, why Claude Code's own
 * stricter schema would drop it (null when it would not): teamtop shows the task, and says that
 * the team's agents do not see it.
 */
export const taskFileReadSchema = z.unknown().transform((raw, ctx) => {
  const r = taskFileSchema.safeParse(raw);
  if (!r.success) {
    for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: i.path });
    return z.NEVER;
  }
  return { task: r.data, problem: claudeTaskProblem(raw) };
});

/** Why a task object would fail Claude Code's task schema, or null when it passes. */
export function claudeTaskProblem(t: unknown): string | null {
  const r = strictTaskSchema.safeParse(t);
  if (r.success) return null;
  const i = r.error.issues[0]!;
  return `${i.path.join('.') || 'the task'}: ${i.message}`;
}
