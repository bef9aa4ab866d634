// network-partition: messages to two or more different teammates timing out close together
// (within partitionWindowMinutes) point at delivery, not at one teammate.
// One sliding window over the timeouts in time order (linear after the sort), so a mailbox with
// a huge backlog to a single teammate costs no more than reading it once.
import { makeAlert, type Alert, type Detector } from '../types.js';
import { overdueMessages, type Overdue } from './overdue.js';
import { bounded, listed } from './bounded.js';
import { shownId } from '../../safety/sanitize.js';

export const networkPartition: Detector = ({ team, now, thresholds: t }) => {
  const overdue = overdueMessages(team, now, t).sort((a, b) => a.timedOutAt - b.timedOutAt);
  const windowMs = t.partitionWindowMinutes * 60_000;
  // The window is overdue[i..end): every timeout within windowMs of overdue[i]. `end` only grows.
  const inWindow = new Map<string, number>();
  let end = 0;
  for (let i = 0; i < overdue.length; i++) {
    const start = overdue[i]!.timedOutAt;
    if (end <= i) end = i;
    while (end < overdue.length && overdue[end]!.timedOutAt - start <= windowMs) {
      const r = overdue[end]!.recipient;
      inWindow.set(r, (inWindow.get(r) ?? 0) + 1);
      end++;
    }
    if (inWindow.size >= 2) return [partitionAlert(overdue, i, end, t.partitionWindowMinutes)];
    // Slide: overdue[i] leaves the window.
    const r = overdue[i]!.recipient;
    const n = inWindow.get(r)! - 1;
    if (n === 0) inWindow.delete(r);
    else inWindow.set(r, n);
  }
  return [];
};

function partitionAlert(overdue: readonly Overdue[], from: number, to: number, minutes: number): Alert {
  const byRecipient = new Map<string, Set<number>>();
  for (let k = from; k < to; k++) {
    const o = overdue[k]!;
    let s = byRecipient.get(o.recipient);
    if (!s) byRecipient.set(o.recipient, (s = new Set()));
    s.add(o.sequence);
  }
  const recipients = [...byRecipient.keys()].sort();
  const sequences: Record<string, number[]> = {};
  const omitted: Record<string, number> = {};
  // defineProperty: a recipient named "__proto__" is a key like any other.
  const set = <T>(o: Record<string, T>, k: string, value: T): void => {
    Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
  };
  for (const r of recipients) {
    // Each recipient's sequences named in full up to 200; beyond, the first and last 100 (bounded.ts).
    const b = bounded([...byRecipient.get(r)!].sort((x, y) => x - y));
    set(sequences, r, listed(b));
    if (b.omitted) set(omitted, r, b.omitted);
  }
  const start = overdue[from]!.timedOutAt;
  const end = overdue[to - 1]!.timedOutAt;
  return makeAlert({
    kind: 'network-partition', severity: 'medium', subject: recipients,
    summary: `messages to ${recipients.length} teammates timed out within ${minutes} min (${recipients.map(shownId).join(', ')}): possible delivery problem`,
    evidence: {
      recipients, sequences, ...(Object.keys(omitted).length ? { sequences_omitted: omitted } : {}),
      window_start: new Date(start).toISOString(), window_end: new Date(end).toISOString(),
    },
    since: start,
    workflow: 'Likely a delivery problem rather than crashed teammates: resend to each recipient with backoff (r) and verify delivery before assuming they crashed.',
    actions: ['resend'],
  });
}
