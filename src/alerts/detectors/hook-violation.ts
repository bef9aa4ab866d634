// hook-violation: a hook_violation event (a stub, a mock, ...) that no later hook_fixed event
// resolves (seed Workflow E). Event fields come from events.jsonl and are checked one by one.
import type { TeamEvent } from '../../model/types.js';
import { makeAlert, type Alert, type Detector } from '../types.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const lineOf = (v: unknown): number | string | undefined =>
  (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v !== '') ? v : undefined;

function fixes(f: TeamEvent, v: TeamEvent): boolean {
  const fid = f.data.violation_id;
  if (fid !== undefined && fid !== null) return fid === v.data.violation_id;
  const file = str(f.data.file);
  if (file === undefined || file !== str(v.data.file)) return false;
  return f.data.pattern === undefined || f.data.pattern === null || f.data.pattern === v.data.pattern;
}

export const hookViolation: Detector = ({ team }) => {
  const events = team.events;
  const out: Alert[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    const v = events[i]!;
    if (v.type !== 'hook_violation') continue;
    let fixed = false;
    for (let j = i + 1; j < events.length && !fixed; j++) {
      const f = events[j]!;
      if (f.type === 'hook_fixed' && fixes(f, v)) fixed = true;
    }
    if (fixed) continue;

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
      summary: `${pattern ?? 'hook violation'}${file !== undefined ? ` at ${where}` : ''}${teammate !== undefined ? ` by ${teammate}` : ''}`
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
      workflow: `Message ${teammate ?? 'the teammate'} to fix the violation with a deadline (about 10 min) and re-run the local checks (w); reassign the task (R) if the deadline passes.`,
      actions: ['wake', 'reassign'],
    });
    // The same violation reported again (a re-run of the hook) stays one alert, from its first report.
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    out.push(a);
  }
  return out;
};
