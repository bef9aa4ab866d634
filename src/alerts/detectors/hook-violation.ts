// hook-violation: a hook_violation event (a stub, a mock, ...) that no later hook_fixed event
// resolves (seed Workflow E). Event fields come from events.jsonl and are checked one by one.
import type { TeamEvent } from '../../model/types.js';
import { makeAlert, type Alert, type Detector } from '../types.js';
import { shownId } from '../../safety/sanitize.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const lineOf = (v: unknown): number | string | undefined =>
  (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== '') ? v : undefined;

/**
 * Whether each hook_violation has a later hook_fixed that fixes it, in one backward pass (linear
 * in the events, however many violations and fixes there are). A fix names the violation's
 * `violation_id`; or, without one, its `file` and, optionally, its `pattern`.
 */
function fixedFlags(events: readonly TeamEvent[]): boolean[] {
  const fixed = new Array<boolean>(events.length).fill(false);
  const byId = new Set<unknown>();
  const byFile = new Set<string>();
  const byFilePattern = new Map<string, Set<unknown>>();
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'hook_fixed') {
      const fid = e.data.violation_id;
      if (fid !== undefined && fid !== null) { byId.add(fid); continue; }
      const file = str(e.data.file);
      if (file === undefined) continue;
      const pattern = e.data.pattern;
      if (pattern === undefined || pattern === null) byFile.add(file);
      else {
        let s = byFilePattern.get(file);
        if (!s) byFilePattern.set(file, (s = new Set()));
        s.add(pattern);
      }
    } else if (e.type === 'hook_violation') {
      const vid = e.data.violation_id;
      const file = str(e.data.file);
      fixed[i] = (vid !== undefined && vid !== null && byId.has(vid))
        || (file !== undefined && (byFile.has(file) || (byFilePattern.get(file)?.has(e.data.pattern) ?? false)));
    }
  }
  return fixed;
}

export const hookViolation: Detector = ({ team }) => {
  const events = team.events;
  const out: Alert[] = [];
  const seen = new Set<string>();
  const fixed = fixedFlags(events);
  for (let i = 0; i < events.length; i++) {
    const v = events[i]!;
    if (v.type !== 'hook_violation' || fixed[i]) continue;

    const pattern = str(v.data.pattern);
    const file = str(v.data.file);
    const line = lineOf(v.data.line);
    const teammate = str(v.data.teammate);
    const commit = str(v.data.commit);
    const content = str(v.data.content);
    const violationId = str(v.data.violation_id);
    const where = file !== undefined ? (line !== undefined ? `${file}:${line}` : file) : `events.jsonl:${v.line}`;
    const subject = [...(teammate !== undefined ? [teammate] : []), violationId ?? where];
    const a = makeAlert({
      kind: 'hook-violation', severity: 'critical', subject,
      summary: `${pattern ?? 'hook violation'}${file !== undefined ? ` at ${where}` : ''}${teammate !== undefined ? ` by ${shownId(teammate)}` : ''}`
        + `${commit !== undefined ? ` (commit ${commit.slice(0, 7)})` : ''}`,
      evidence: {
        ...(pattern !== undefined ? { pattern } : {}),
        ...(file !== undefined ? { file } : {}),
        ...(line !== undefined ? { line } : {}),
        ...(teammate !== undefined ? { teammate } : {}),
        ...(commit !== undefined ? { commit } : {}),
        ...(content !== undefined ? { content } : {}),
        ...(violationId !== undefined ? { violation_id: violationId } : {}),
      },
      since: v.timestamp,
      workflow: `Message ${teammate !== undefined ? shownId(teammate) : 'the teammate'} to fix the violation with a deadline (about 10 min) and re-run the local checks (w); reassign the task (R) if the deadline passes.`,
      actions: ['wake', 'reassign'],
    });
    // The same violation reported again (a re-run of the hook) stays one alert, from its first report.
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    out.push(a);
  }
  return out;
};
