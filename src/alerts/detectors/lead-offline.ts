// lead-offline: the lead has not shown a sign of life for more than leadOfflineMinutes (the
// seed's "zombie" team: teammates keep working but nobody coordinates).
import { makeAlert, type Detector } from '../types.js';
import { formatAge } from '../../model/time.js';
import { shownId } from '../../safety/sanitize.js';

export const leadOffline: Detector = ({ team, now, thresholds: t }) => {
  const lead = team.info.lead;
  if (lead.lastHeartbeat === null) return [];
  const limit = t.leadOfflineMinutes * 60_000;
  if (!(now - lead.lastHeartbeat > limit)) return [];
  const id = lead.id ?? 'lead';
  const last = new Date(lead.lastHeartbeat).toISOString();
  const signal = lead.activitySignal === null || lead.activitySignal === 'heartbeat' || lead.activitySignal === 'heartbeat_age'
    ? 'heartbeat' : 'activity';
  return [makeAlert({
    kind: 'lead-offline', severity: 'high', subject: [id],
    summary: `${id === 'lead' ? 'lead' : `lead ${shownId(id)}`}: no ${signal} for ${formatAge(now - lead.lastHeartbeat)} (offline)`,
    evidence: { lead: lead.id, last_heartbeat: last, signal: lead.activitySignal },
    since: lead.lastHeartbeat + limit,
    workflow: 'Teammates keep working from their checkpoints; hand out no new work until the lead is back, and halt the team (h) if it cannot continue without the lead.',
    actions: ['halt'],
  })];
};
