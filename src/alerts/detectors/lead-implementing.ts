// lead-implementing: the lead owns an in-progress task while teammates are also working, so it has
// stopped coordinating (seed: the lead does not wait for its teammates).
import { makeAlert, type Detector } from '../types.js';
import { shownId } from '../../safety/sanitize.js';

export const leadImplementing: Detector = ({ team }) => {
  const leadId = team.info.lead.id;
  if (leadId === null) return [];
  const inProgress = team.tasks.filter((t) => t.status === 'in_progress');
  const leadTasks = inProgress.filter((t) => t.owner === leadId);
  const others = inProgress.filter((t) => t.owner !== null && t.owner !== leadId);
  if (leadTasks.length === 0 || others.length === 0) return [];
  const ids = leadTasks.map((t) => t.id);
  let since: number | null = null;
  for (const t of leadTasks) if (t.startedAt !== null && (since === null || t.startedAt < since)) since = t.startedAt;
  return [makeAlert({
    kind: 'lead-implementing', severity: 'low', subject: [leadId, ...ids],
    summary: `lead ${shownId(leadId)} is working on ${ids.map(shownId).join(', ')} while ${others.length} teammate task${others.length === 1 ? ' is' : 's are'} in progress`,
    evidence: { lead: leadId, lead_tasks: ids, teammate_tasks_in_progress: others.length },
    material: { lead: leadId, lead_tasks: ids },
    since,
    workflow: 'The lead is implementing while teammates work: pause it, move that work to a task for a teammate, and return to coordinating.',
    actions: [],
  })];
};
