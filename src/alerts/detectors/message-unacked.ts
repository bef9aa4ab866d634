// message-unacked: messages that asked for an answer and are past their deadline, one alert per
// recipient. Three or more in a row after the recipient's last acknowledgement escalate to high
// (seed Workflow C: seq 41–45 to tm_schema with the last ack at 40).
import { makeAlert, type Alert, type Detector } from '../types.js';
import { overdueMessages, type Overdue } from './overdue.js';
import { bounded, listed, subjectIds } from './bounded.js';
import { shownId } from '../../safety/sanitize.js';

export const messageUnacked: Detector = ({ team, now, thresholds: t }) => {
  const byRecipient = new Map<string, Overdue[]>();
  for (const o of overdueMessages(team, now, t)) {
    let l = byRecipient.get(o.recipient);
    if (!l) byRecipient.set(o.recipient, (l = []));
    l.push(o);
  }
  const word = team.format.unackedWord;
  const out: Alert[] = [];
  for (const [recipient, list] of byRecipient) {
    // overdueMessages sorts by recipient then sequence, so `list` is ascending. One pass over it
    // (no spreading into Math.min: a recipient may have any number of overdue messages).
    const lastAcked = team.mailbox.aggregates.lastAckedSeq.get(recipient);
    const floor = lastAcked ?? -Infinity;
    const sequences: number[] = [];
    const after: number[] = [];
    let oldest = list[0]!;
    let since = Infinity;
    for (const o of list) {
      sequences.push(o.sequence);
      if (o.sequence > floor) after.push(o.sequence);
      if (o.timestamp < oldest.timestamp) oldest = o;
      if (o.timedOutAt < since) since = o.timedOutAt;
    }
    const consecutive = after.length;
    // Named in full up to 200; beyond, the first and last 100 and a count (bounded.ts).
    const named = bounded(sequences);
    const high = consecutive >= t.consecutiveUnacked;
    const summary = high
      ? `${consecutive} consecutive messages to ${shownId(recipient)} ${word} (seq ${seqList(after)})`
      : `${list.length} ${list.length === 1 ? 'message' : 'messages'} to ${shownId(recipient)} ${word} past the timeout (seq ${seqList(sequences)})`;
    out.push(makeAlert({
      kind: 'message-unacked', severity: high ? 'high' : 'medium', subject: [recipient, ...subjectIds(named)],
      summary,
      evidence: {
        recipient,
        sequences: named.omitted ? listed(named) : sequences,
        ...(named.omitted ? { sequences_omitted: named.omitted, sequence_count: sequences.length } : {}),
        last_acked_sequence: lastAcked ?? null,
        consecutive,
        oldest_sent_at: new Date(oldest.timestamp).toISOString(),
        timeout_seconds: (oldest.timedOutAt - oldest.timestamp) / 1000,
      },
      // Which messages are unanswered identifies it (a new one is a new fact); counters do not.
      material: { recipient, sequences: named.omitted ? listed(named) : sequences, sequence_count: sequences.length },
      since,
      workflow: high
        ? `Resend the ${word} batch with an explicit ack request (r); if still no ACK, check ${shownId(recipient)}'s heartbeat and escalate to a wake-up (w) or reassign (R).`
        : `Resend with an explicit ack request (r) and verify delivery; if still no ACK, check ${shownId(recipient)}'s heartbeat and send a wake-up (w).`,
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

