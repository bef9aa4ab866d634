// resend: one resend_batch of every unacknowledged sequence to a teammate, asking for an ACK
// (seed Workflow C).
import type { TeamSnapshot } from '../model/snapshot.js';
import { BROADCAST } from '../model/mailbox-aggregator.js';
import { msg, refuse, teammateOf, type ActionDef, type Planner } from './action.js';
import { teammateTarget } from './targets.js';

export function unackedFor(team: TeamSnapshot, teammate: string): number[] {
  const agg = team.mailbox.aggregates;
  const seqs = new Set<number>((agg.unacked.get(teammate) ?? []).map((p) => p.sequence));
  for (const p of agg.unacked.get(BROADCAST) ?? []) if (p.from !== teammate && !p.ackedBy.includes(teammate)) seqs.add(p.sequence);
  return [...seqs].sort((a, b) => a - b);
}

const plan: Planner = (team, args) => {
  const tm = teammateOf(team, args.target);
  const seqs = unackedFor(team, tm.id);
  if (seqs.length === 0) refuse(`nothing unacknowledged to ${tm.id}`);
  // The originals that are in memory, as many as fit in a line every reader accepts.
  const wanted = new Set(seqs);
  const originals: Array<{ sequence: number; type: string; payload: unknown }> = [];
  let bytes = 0;
  let left = 0;
  for (const m of team.mailbox.recent) {
    if (!wanted.has(m.sequence)) continue;
    const o = { sequence: m.sequence, type: m.type, payload: m.payload };
    const size = JSON.stringify(o).length;
    if (bytes + size > RESEND_ORIGINALS_BYTES) { left++; continue; }
    bytes += size;
    originals.push(o);
  }
  return [msg(tm.id, 'resend_batch', 'high', {
    text: `[RESEND BATCH] ${seqs.length === 1 ? 'Message' : 'Messages'} ${seqRanges(seqs)} ${seqs.length === 1 ? 'was' : 'were'} not acknowledged. Please ACK each.`,
    messages: originals,
    ...(left ? { messages_not_included: left } : {}),
  }, { resending_sequences: seqs, ack_required: true, ack_timeout: '30sec' })];
};

/** How much of the resent messages' text a resend_batch carries (its line stays readable). */
const RESEND_ORIGINALS_BYTES = 256 * 1024;

/** "41-45, 50, 52-60": ascending sequences as ranges, the first 40 ranges and the total after. */
export function seqRanges(seqs: readonly number[]): string {
  const out: string[] = [];
  let ranges = 0;
  for (let i = 0; i < seqs.length; i++) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
    if (ranges++ < 40) out.push(j === i ? String(seqs[i]) : j === i + 1 ? `${seqs[i]}, ${seqs[j]}` : `${seqs[i]}-${seqs[j]}`);
    i = j;
  }
  return ranges > 40 ? `${out.join(', ')}, … (${seqs.length} in all)` : out.join(', ');
}

export const RESEND: ActionDef = {
  name: 'resend',
  key: 'r',
  keyHelp: "resend every unacknowledged message to the selected teammate, in one batch",
  summary: 'one resend_batch of every unacknowledged sequence to it',
  help: 'one `resend_batch` of every unacknowledged sequence to the teammate, asking for an ACK',
  usage: 'TEAMMATE',
  target: (team, sel) => teammateTarget('resend', team, sel),
  plan,
};
