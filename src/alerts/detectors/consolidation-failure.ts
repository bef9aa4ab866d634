// consolidation-failure: every teammate reports done/green, yet the latest consolidation build
// failed: the parts pass alone but not together (seed Workflow F).
import type { TeamEvent } from '../../model/types.js';
import { makeAlert, type Detector } from '../types.js';

const GREEN = new Set(['done', 'complete', 'completed', 'green']);
const FAILED = new Set(['failure', 'failed']);

/** The build event with the greatest timestamp; without comparable timestamps, the last written. */
export function latestBuild(events: readonly TeamEvent[]): TeamEvent | null {
  let best: TeamEvent | null = null;
  for (const e of events) {
    if (e.type !== 'build') continue;
    if (best === null || best.timestamp === null || e.timestamp === null || e.timestamp >= best.timestamp) best = e;
  }
  return best;
}

export const consolidationFailure: Detector = ({ team }) => {
  if (team.teammates.length === 0) return [];
  if (!team.teammates.every((tm) => tm.status !== null && GREEN.has(tm.status.toLowerCase()))) return [];
  const build = latestBuild(team.events);
  if (!build) return [];
  const result = build.data.result;
  if (typeof result !== 'string' || !FAILED.has(result.toLowerCase())) return [];
  const scope = typeof build.data.scope === 'string' ? build.data.scope : null;
  const error = typeof build.data.error === 'string' ? build.data.error : null;
  const teammates = team.teammates.map((tm) => tm.id);
  const firstLine = error?.split('\n').find((l) => l.trim() !== '')?.trim() ?? null;
  const shortError = firstLine !== null && firstLine.length > 120 ? `${firstLine.slice(0, 117)}...` : firstLine;
  return [makeAlert({
    kind: 'consolidation-failure', severity: 'critical', subject: teammates,
    summary: `all ${teammates.length} teammates report done but the consolidation build failed`
      + `${scope !== null ? ` (${scope})` : ''}${shortError !== null ? `: ${shortError}` : ''}`,
    evidence: {
      build_at: build.timestamp !== null ? new Date(build.timestamp).toISOString() : null,
      scope, error, teammates,
    },
    since: build.timestamp,
    workflow: 'The parts pass alone but not together: message the owner of the failing interface with the build error (w); if more than two fix attempts fail, abort and roll back (A).',
    actions: ['wake', 'abort'],
  })];
};
