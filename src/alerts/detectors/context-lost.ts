// context-lost-after-compaction: a teammate's context was compacted with no checkpoint shortly
// before, so its branch, status and next step may be gone (seed: no PreCompact snapshot).
import { makeAlert, type Alert, type Detector } from '../types.js';
import { isoOrNull } from '../../model/time.js';
import { shownId } from '../../safety/sanitize.js';

export const contextLostAfterCompaction: Detector = ({ team, thresholds: t }) => {
  const latestCompaction = new Map<string, number>();
  for (const e of team.events) {
    if (e.type !== 'compaction' || e.timestamp === null) continue;
    const who = e.data.teammate;
    if (typeof who !== 'string') continue;
    const prev = latestCompaction.get(who);
    if (prev === undefined || e.timestamp > prev) latestCompaction.set(who, e.timestamp);
  }
  if (latestCompaction.size === 0) return [];
  const windowMs = t.compactionCheckpointMinutes * 60_000;
  const out: Alert[] = [];
  const seen = new Set<string>();
  for (const tm of team.teammates) {
    if (seen.has(tm.id)) continue;
    seen.add(tm.id);
    const ts = latestCompaction.get(tm.id);
    if (ts === undefined) continue;
    let lastBefore: number | null = null;
    for (const c of team.checkpoints.get(tm.id) ?? []) {
      if (c.timestamp !== null && c.timestamp <= ts && (lastBefore === null || c.timestamp > lastBefore)) lastBefore = c.timestamp;
    }
    if (lastBefore !== null && lastBefore >= ts - windowMs) continue;
    out.push(makeAlert({
      kind: 'context-lost-after-compaction', severity: 'medium', subject: [tm.id],
      summary: `${shownId(tm.id)}: context compacted with no checkpoint in the ${t.compactionCheckpointMinutes} min before`,
      evidence: { compaction_at: new Date(ts).toISOString(), last_checkpoint_before: isoOrNull(lastBefore) },
      since: ts,
      workflow: 'State may be lost: have the teammate restore from its status/memory files and git before continuing (w), and configure a PreCompact snapshot.',
      actions: ['wake'],
    }));
  }
  return out;
};
