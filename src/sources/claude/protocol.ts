// Claude Code's protocol messages (JSON inside an inbox entry's `text`, with a `type`), read as
// the rest of teamtop asks about them: a readable line for panes and timelines, and which
// requests wait for an answer. Shapes from public sources (docs/claude-code.md); every field is
// optional here — an unknown type still reads as "<type>".

import type { ApprovalRequest } from '../../model/types.js';

type P = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A short argument of a tool input (the command, the file, the pattern), for one line. */
export function toolArg(input: unknown, max = 120): string {
  if (!input || typeof input !== 'object') return '';
  const o = input as P;
  const v = str(o.command) ?? str(o.file_path) ?? str(o.path) ?? str(o.pattern) ?? str(o.url)
    ?? (Object.values(o).find((x) => typeof x === 'string' && x !== '') as string | undefined) ?? '';
  const line = v.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** One readable line for a protocol message (unsanitized: displays sanitize). */
export function describeProtocol(p: P): string {
  const t = String(p.type);
  switch (t) {
    case 'idle_notification': {
      const parts = [`idle${str(p.idleReason) ? ` (${String(p.idleReason)})` : ''}`];
      if (str(p.completedTaskId)) parts.push(`task ${String(p.completedTaskId)} ${str(p.completedStatus) ?? 'done'}`);
      if (str(p.failureReason)) parts.push(`failure: ${String(p.failureReason)}`);
      if (str(p.summary)) parts.push(String(p.summary));
      return parts.join('; ');
    }
    case 'permission_request':
      return `asks permission: ${str(p.tool_name) ?? 'a tool'}${toolArg(p.input) ? ` ${toolArg(p.input)}` : ''}${str(p.description) ? ` — ${String(p.description)}` : ''}`;
    case 'permission_response':
      return p.subtype === 'success' ? 'permission granted' : `permission denied${str(p.error) ? `: ${String(p.error)}` : ''}`;
    case 'sandbox_permission_request': {
      const host = p.hostPattern && typeof p.hostPattern === 'object' ? str((p.hostPattern as P).host) : null;
      return `asks network access${host ? ` to ${host}` : ''}`;
    }
    case 'sandbox_permission_response':
      return `network access ${p.allow === true ? 'allowed' : 'denied'}${str(p.host) ? ` to ${String(p.host)}` : ''}`;
    case 'plan_approval_request':
      return `asks approval of a plan${str(p.planFilePath) ? ` (${String(p.planFilePath)})` : ''}`;
    case 'plan_approval_response':
      return `plan ${p.approved === true ? 'approved' : 'rejected'}${str(p.feedback) ? `: ${String(p.feedback)}` : ''}`;
    case 'shutdown_request':
      return `asked to shut down${str(p.reason) ? `: ${String(p.reason)}` : ''}`;
    case 'shutdown_approved':
      return 'shutting down';
    case 'shutdown_rejected':
      return `refuses to shut down${str(p.reason) ? `: ${String(p.reason)}` : ''}`;
    case 'task_assignment':
      return `assigned task ${str(p.taskId) ?? '?'}${str(p.subject) ? `: ${String(p.subject)}` : ''}`;
    case 'mode_set_request':
      return `asks to set permission mode${str(p.mode) ? ` ${String(p.mode)}` : ''}`;
    case 'team_permission_update':
      return `team permissions updated${fields(p) ? `: ${fields(p)}` : ''}`;
    default:
      // A type teamtop does not know yet: its own fields say what it is.
      return str(p.summary) ?? str(p.subject) ?? `${t}${fields(p) ? `: ${fields(p)}` : ''}`;
  }
}

/** A protocol message's fields as `key=value` (not its type, sender or time), each value short. */
function fields(p: P): string {
  return Object.entries(p).filter(([k, v]) => !['type', 'from', 'timestamp'].includes(k) && v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`.slice(0, 80)).join(' ').slice(0, 300);
}

const REQUESTS: Record<string, { kind: ApprovalRequest['kind']; idKey: string; answer: string }> = {
  permission_request: { kind: 'permission', idKey: 'request_id', answer: 'permission_response' },
  sandbox_permission_request: { kind: 'sandbox', idKey: 'requestId', answer: 'sandbox_permission_response' },
  plan_approval_request: { kind: 'plan', idKey: 'requestId', answer: 'plan_approval_response' },
};

/** The request a protocol message makes, or null. */
export function approvalRequest(p: P, sender: string | null): ApprovalRequest | null {
  const r = REQUESTS[String(p.type)];
  if (!r) return null;
  const id = str(p[r.idKey]);
  if (!id) return null;
  const from = str(p.agent_id) ?? str(p.workerName) ?? str(p.from) ?? sender;
  return { kind: r.kind, id, from, what: describeProtocol(p).replace(/^asks /, '') };
}

/** The request id a protocol message answers ("<kind>:<id>"), or null. */
export function approvalAnswerKey(p: P): string | null {
  for (const r of Object.values(REQUESTS)) {
    if (p.type !== r.answer) continue;
    const id = str(p[r.idKey]);
    return id ? `${r.kind}:${id}` : null;
  }
  return null;
}
