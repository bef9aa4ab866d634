// sequence-gap: sequence numbers missing from the mailbox, i.e. messages lost between writers.
import { makeAlert, type Detector } from '../types.js';

export const sequenceGap: Detector = ({ team }) => {
  if (!team.capabilities.sequences) return [];
  const a = team.mailbox.aggregates;
  if (a.gaps.length === 0) return [];
  const ranges = a.gaps.map(([x, y]) => (x === y ? String(x) : `${x}-${y}`));
  const n = a.missingCount;
  const messages = `${n} ${n === 1 ? 'message' : 'messages'}`;
  const summary = a.gaps.length > 5
    ? `mailbox is missing ${n} sequences in ${a.gaps.length} ranges`
    : `mailbox is missing ${n === 1 ? 'sequence' : 'sequences'} ${ranges.join(', ')} (${messages})`;
  return [makeAlert({
    kind: 'sequence-gap', severity: 'medium', subject: ranges,
    summary,
    evidence: {
      ranges: a.gaps.map(([x, y]) => [x, y]),
      missing_count: n,
      first_sequence: a.minSequence,
      last_sequence: a.maxSequence,
      duplicates: a.duplicates,
    },
    // Which sequences are missing; the newest sequence moves on with every message.
    material: { ranges: a.gaps.map(([x, y]) => [x, y]), duplicates: a.duplicates },
    since: null,
    workflow: 'Messages were lost between writers: resend whatever the recipients have not acknowledged (r) and verify delivery.',
    actions: ['resend'],
  })];
};
