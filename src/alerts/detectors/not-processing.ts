// not-processing: a teammate that still heartbeats but lets its messages pile up (seed Workflow C,
// step 2: alive, messages_pending 5 and accumulating).
import { makeAlert, type Alert, type Detector } from '../types.js';
import { FINISHED_TEAMMATE } from './heartbeat.js';
import { shownId } from '../../safety/sanitize.js';

export const notProcessing: Detector = ({ team, now, thresholds: t }) => {
  const out: Alert[] = [];
  for (const tm of team.teammates) {
    if (tm.lastHeartbeat === null) continue;
    if (tm.status && FINISHED_TEAMMATE.has(tm.status.toLowerCase())) continue;
    if (!(now - tm.lastHeartbeat < t.idleMinutes * 60_000)) continue;
    const pending = tm.messagesPending;
    if (pending === null) continue;
    const h = tm.pendingHistory;
    const h1 = h.length >= 2 ? h[h.length - 2]! : null;
    const h2 = h.length >= 1 ? h[h.length - 1]! : null;
    const growing = h1 !== null && h2 !== null && h1 < h2 && h2 < pending;
    if (!(pending >= t.pendingMessages || growing)) continue;
    out.push(makeAlert({
      kind: 'not-processing', severity: 'medium', subject: [tm.id],
      summary: growing
        ? `${shownId(tm.id)}: alive but not reading its messages (pending ${h1} -> ${h2} -> ${pending})`
        : `${shownId(tm.id)}: alive but not reading its messages (${pending} pending)`,
      evidence: {
        messages_pending: pending,
        earlier_values: [...h],
        last_heartbeat: new Date(tm.lastHeartbeat).toISOString(),
      },
      // A teammate that does not read: the pending count and its heartbeat move by themselves.
      material: {},
      since: null,
      workflow: 'Alive but not reading its messages (likely stuck on its task or in a hung local build): send a wake-up with a specific question (w).',
      actions: ['wake'],
    }));
  }
  return out;
};
