// awaiting-approval: a teammate asked the lead for permission (a tool call, network access, a
// plan) and no answer has arrived: it is blocked on the lead. Medium at once, high after
// approvalHighMinutes. Requests and answers are messages in the team's mailbox; the format marks
// them (Claude Code: permission_request / permission_response and their kin).
import { makeAlert, type Alert, type Detector } from '../types.js';
import { formatAge } from '../../model/time.js';
import { shownId } from '../../safety/sanitize.js';

export const awaitingApproval: Detector = ({ team, now, thresholds: t }) => {
  const answered = new Set<string>();
  for (const m of team.mailbox.recent) {
    if (m.answers) answered.add(m.answers);
  }
  const out: Alert[] = [];
  const seen = new Set<string>();
  for (const m of team.mailbox.recent) {
    const r = m.approval;
    if (!r || answered.has(`${r.kind}:${r.id}`) || seen.has(`${r.kind}:${r.id}`)) continue;
    seen.add(`${r.kind}:${r.id}`);
    const who = r.from ?? 'a teammate';
    const age = m.timestamp === null ? null : now - m.timestamp;
    const high = age !== null && age >= t.approvalHighMinutes * 60_000;
    out.push(makeAlert({
      kind: 'awaiting-approval', severity: high ? 'high' : 'medium', subject: [who, r.id],
      summary: `${r.from ? shownId(r.from) : who} waits for the lead to approve: ${r.what}${age !== null ? ` (${formatAge(age)})` : ''}`,
      evidence: {
        teammate: r.from, request: r.id, kind: r.kind, type: m.type, message: m.sequence,
        at: m.timestamp === null ? null : new Date(m.timestamp).toISOString(),
        ...(m.protocol?.tool_name ? { tool: m.protocol.tool_name } : {}),
      },
      since: m.timestamp,
      workflow: 'The teammate is blocked until the lead answers. Answer it in the lead\'s Claude Code session, where teammate permission prompts appear (teamtop does not answer for the lead: the answer format is not published). If the lead is gone, wake the teammate (w) to choose another way, or reassign its task (R).',
      actions: ['wake', 'reassign'],
    }));
  }
  return out;
};
