// Which action addressed an alert: among the successful actions while it was open, the one that
// names its subject (a recovery it suggests first), else one it suggests that names no target.
import type { ActionRecord } from './actions-log.js';

/** Every string in a value (records' args and plans), depth-limited. */
function strings(v: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8) return out;
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out, depth + 1);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out, depth + 1);
  return out;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether the record's arguments or plan (`argsOnly`: its arguments) name one of the ids (exactly,
 * or as a word in a text).
 */
export function mentions(record: ActionRecord, ids: readonly string[], argsOnly = false): boolean {
  const texts = strings(argsOnly ? [record.args] : [record.args, record.plan]);
  const exact = new Set(texts);
  for (const id of ids) {
    if (id === '') continue;
    if (exact.has(id)) return true;
    // Inside free text only ids that cannot be mistaken for a number or a fragment.
    if (/^\d+$/.test(id) || id.length < 3) continue;
    const re = new RegExp(`(?<![\\w-])${escapeRe(id)}(?![\\w-])`);
    if (texts.some((s) => re.test(s))) return true;
  }
  return false;
}

/**
 * The action that addressed a span: among the successful action records between its start and its
 * end (acknowledging an alert only hides it, so ack-alert does not count), the first whose
 * arguments or plan name one of its subject ids; failing that, the first whose action is one the
 * alert suggests and that names no target of its own (halt, abort, a break-cycle without a task).
 */
export function addressedBy(span: { began: number; cleared: number | null; subject: readonly string[]; actions: readonly string[] }, actions: readonly ActionRecord[]): ActionRecord | null {
  const candidates = actions
    .filter((r) => r.action !== 'ack-alert' && (r.result === null || r.result === 'ok'))
    .filter((r) => r.time >= span.began && (span.cleared === null || r.time <= span.cleared))
    .sort((a, b) => a.time - b.time || a.line - b.line);
  // Best: a recovery the alert suggests, aimed at its subject; then any action whose arguments
  // name its subject (not one whose plan only tells its subject about something else, as
  // break-cycle tells the owners of the tasks it reorders).
  const suggested = span.actions as readonly string[];
  const fitting = candidates.find((r) => suggested.includes(r.action) && mentions(r, span.subject));
  if (fitting) return fitting;
  const bySubject = candidates.find((r) => mentions(r, span.subject, true));
  if (bySubject) return bySubject;
  return candidates.find((r) => (span.actions as readonly string[]).includes(r.action) && (r.args.target === undefined || r.args.target === null)) ?? null;
}

