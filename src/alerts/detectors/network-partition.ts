// network-partition: messages to two or more different teammates timing out close together
// (within partitionWindowMinutes) point at delivery, not at one teammate.
import { makeAlert, type Alert, type Detector } from '../types.js';
import { overdueMessages } from './overdue.js';

export const networkPartition: Detector = ({ team, now, thresholds: t }) => {
  const overdue = overdueMessages(team, now, t).sort((a, b) => a.timedOutAt - b.timedOutAt);
  const windowMs = t.partitionWindowMinutes * 60_000;
  for (let i = 0; i < overdue.length; i++) {
    const start = overdue[i]!.timedOutAt;
    let j = i;
    while (j + 1 < overdue.length && overdue[j + 1]!.timedOutAt - start <= windowMs) j++;
    const inWindow = overdue.slice(i, j + 1);
    const recipients = [...new Set(inWindow.map((o) => o.recipient))].sort();
    if (recipients.length < 2) continue;
    const sequences: Record<string, number[]> = {};
    for (const r of recipients) {
      sequences[r] = [...new Set(inWindow.filter((o) => o.recipient === r).map((o) => o.sequence))].sort((a, b) => a - b);
    }
    const end = overdue[j]!.timedOutAt;
    const out: Alert[] = [makeAlert({
      kind: 'network-partition', severity: 'medium', subject: recipients,
      summary: `messages to ${recipients.length} teammates timed out within ${t.partitionWindowMinutes} min (${recipients.join(', ')}): possible delivery problem`,
      evidence: {
        recipients, sequences, window_start: new Date(start).toISOString(), window_end: new Date(end).toISOString(),
      },
      since: start,
      workflow: 'Likely a delivery problem rather than crashed teammates: resend to each recipient with backoff (r) and verify delivery before assuming they crashed.',
      actions: ['resend'],
    })];
    return out;
  }
  return [];
};
