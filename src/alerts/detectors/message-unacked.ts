// message-unacked: messages that asked for an answer and are past their deadline, one alert per
// recipient. Three or more in a row after the recipient's last acknowledgement escalate to high
// (seed Workflow C: seq 41–45 to tm_schema with the last ack at 40).
import { makeAlert, type Alert, type Detector } from '../types.js';
import { overdueMessages, type Overdue } from './overdue.js';

export const messageUnacked: Detector = ({ team, now, thresholds: t }) => {
  const byRecipient = new Map<string, Overdue[]>();
  for (const o of overdueMessages(team, now, t)) {
    let l = byRecipient.get(o.recipient);
    if (!l) byRecipient.set(o.recipient, (l = []));
    l.push(o);
  }
  const word = team.source === 'claude' ? 'unread' : 'unacknowledged';
  const out: Alert[] = [];
  for (const [recipient, list] of byRecipient) {
    // overdueMessages sorts by recipient then sequence, so `list` is ascending.
    const sequences = list.map((o) => o.sequence);
    const lastAcked = team.mailbox.aggregates.lastAckedSeq.get(recipient);
    const after = list.filter((o) => o.sequence > (lastAcked ?? -Infinity));
    const consecutive = after.length;
    const oldest = list.reduce((a, b) => (b.timestamp < a.timestamp ? b : a));
    const since = Math.min(...list.map((o) => o.timedOutAt));
    const high = consecutive >= t.consecutiveUnacked;
    const summary = high
      ? `${consecutive} consecutive messages to ${recipient} ${word} (seq ${seqList(after.map((o) => o.sequence))})`
      : `${list.length} ${list.length === 1 ? 'message' : 'messages'} to ${recipient} ${word} past the timeout (seq ${seqList(sequences)})`;
    out.push(makeAlert({
      kind: 'message-unacked', severity: high ? 'high' : 'medium', subject: [recipient, ...sequences.map(String)],
      summary,
      evidence: {
        recipient,
        sequences,
        last_acked_sequence: lastAcked ?? null,
        consecutive,
        oldest_sent_at: new Date(oldest.timestamp).toISOString(),
        timeout_seconds: (oldest.timedOutAt - oldest.timestamp) / 1000,
      },
      since,
      workflow: high
        ? `Resend the ${word} batch with an explicit ack request (r); if still no ACK, check ${recipient}'s heartbeat and escalate to a wake-up (w) or reassign (R).`
        : `Resend with an explicit ack request (r) and verify delivery; if still no ACK, check ${recipient}'s heartbeat and send a wake-up (w).`,
      actions: high ? ['resend', 'wake'] : ['resend'],
    }));
  }
  return out;
};

/** "41, 42, 43", shortened when long. */
function seqList(seqs: number[]): string {
  if (seqs.length <= 8) return seqs.join(', ');
  return `${seqs.slice(0, 6).join(', ')}, ... ${seqs[seqs.length - 1]} (${seqs.length} in all)`;
}
