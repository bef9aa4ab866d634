// oh-my-claudecode's `omc team` state files (package oh-my-claude-sisyphus 5.5.0, dist/team/):
// what teamtop reads of them. Loose objects: fields teamtop does not name are kept, never refused;
// a field of the wrong type is an error that names the file.
import * as z from 'zod';

const iso = z.string().min(1);

export const workerSchema = z.looseObject({
  name: z.string().min(1),
  index: z.number().int().optional(),
  role: z.string().nullish(),
  worker_cli: z.string().nullish(),
  pid: z.number().int().nullish(),
  pane_id: z.string().nullish(),
  working_dir: z.string().nullish(),
  operational_state: z.string().nullish(),
  assigned_tasks: z.array(z.string()).nullish(),
});

export const configSchema = z.looseObject({
  name: z.string().min(1),
  task: z.string().nullish(),
  // Checked one by one (workersOf): one bad field of one worker must not hide the team.
  workers: z.array(z.unknown()).default([]),
  leader_pane_id: z.string().nullish(),
  tmux_session: z.string().nullish(),
  created_at: iso.nullish(),
  lifecycle_state: z.string().nullish(),
  leader_cwd: z.string().nullish(),
});
/** A config with its workers checked (workersOf). */
export const checkedConfigSchema = configSchema.extend({ workers: z.array(workerSchema) });
export type OmcConfig = z.output<typeof checkedConfigSchema>;
export type OmcWorker = z.output<typeof workerSchema>;

export const heartbeatSchema = z.looseObject({
  pid: z.number().int().nullish(),
  last_turn_at: iso.nullish(),
  turn_count: z.number().nullish(),
  alive: z.boolean().nullish(),
});
export type OmcHeartbeat = z.output<typeof heartbeatSchema>;

export const statusSchema = z.looseObject({
  state: z.string().nullish(),
  current_task_id: z.string().nullish(),
  reason: z.string().nullish(),
  updated_at: z.string().nullish(),
});
export type OmcStatus = z.output<typeof statusSchema>;

export const taskSchema = z.looseObject({
  id: z.string().min(1),
  subject: z.string().nullish(),
  description: z.string().nullish(),
  status: z.enum(['pending', 'blocked', 'in_progress', 'completed', 'failed']),
  owner: z.string().nullish(),
  blocked_by: z.array(z.string()).nullish(),
  depends_on: z.array(z.string()).nullish(),
  claim: z.looseObject({ owner: z.string().nullish(), token: z.string().nullish(), leased_until: iso.nullish() }).nullish(),
  version: z.number().nullish(),
  result: z.string().nullish(),
  error: z.string().nullish(),
  created_at: iso.nullish(),
  completed_at: iso.nullish(),
});
export type OmcTask = z.output<typeof taskSchema>;

export const mailboxMessageSchema = z.looseObject({
  message_id: z.string().min(1),
  from_worker: z.string().nullish(),
  to_worker: z.string().nullish(),
  body: z.string().nullish(),
  created_at: iso.nullish(),
  notified_at: iso.nullish(),
  delivered_at: iso.nullish(),
});
export type OmcMessage = z.output<typeof mailboxMessageSchema>;

export const mailboxSchema = z.looseObject({
  worker: z.string().nullish(),
  messages: z.array(mailboxMessageSchema).default([]),
});

export const eventSchema = z.looseObject({
  type: z.string().min(1),
  created_at: iso.nullish(),
  worker: z.string().nullish(),
  task_id: z.string().nullish(),
});

export const shutdownRequestSchema = z.looseObject({
  requested_at: z.string().nullish(),
  requested_by: z.string().nullish(),
});

/**
 * The workers of a config: each checked on its own; a worker with a bad field keeps its other
 * fields (the field is left out and said in `problems`); one without a name is left out.
 */
export function workersOf(raw: readonly unknown[]): { workers: OmcWorker[]; problems: string[] } {
  const workers: OmcWorker[] = [];
  const problems: string[] = [];
  raw.forEach((w, i) => {
    const r = workerSchema.safeParse(w);
    if (r.success) { workers.push(r.data); return; }
    const obj = w && typeof w === 'object' && !Array.isArray(w) ? (w as Record<string, unknown>) : {};
    const kept: Record<string, unknown> = {};
    const bad: string[] = [];
    for (const [k, v] of Object.entries(obj)) {
      const field = (workerSchema.shape as Record<string, z.ZodType | undefined>)[k];
      if (!field || field.safeParse(v).success) kept[k] = v;
      else bad.push(k);
    }
    const named = workerSchema.safeParse(kept);
    if (named.success) {
      workers.push(named.data);
      problems.push(`workers[${i}] (${named.data.name}): ${bad.join(', ')} of the wrong type, left out`);
    } else problems.push(`workers[${i}]: no name: left out`);
  });
  return { workers, problems };
}
