// The team's history for the timeline view and the alerts' time to recover: the action log read
// from disk and the alert history replayed from the records. Computed off the render path, when
// a view needs it, and again when the team changes.
import { useEffect, useState } from 'react';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { Thresholds } from '../src/model/thresholds.js';
import type { AlertSpan, TimelineEntry } from '../src/report/index.js';
import type { Clock } from '../src/model/clock.js';

export interface History {
  version: number;
  teamId: string;
  timeline: TimelineEntry[];
  spans: AlertSpan[];
  /** Why the history could not be built (the views say so instead of waiting forever). */
  error: string | null;
}

export function useHistory(team: TeamSnapshot | undefined, enabled: boolean, thresholds: Thresholds, clock: Clock): History | null {
  const [history, setHistory] = useState<History | null>(null);
  const stale = !history || !team || history.teamId !== team.id || history.version !== team.version;
  useEffect(() => {
    if (!enabled || !team || !stale) return;
    let cancelled = false;
    // Let the "building" frame render first: the replay can take a moment on a long history.
    const timer = setTimeout(() => {
      // The report code loads on first use: the monitor starts without it.
      void import('../src/report/index.js').then(async ({ actionsFileOf, alertHistory, buildTimeline, readActions }) => {
        const actions = await readActions(actionsFileOf(team));
        if (cancelled) return;
        const sorted = [...actions].sort((a, b) => a.time - b.time);
        const spans = alertHistory(team, sorted, thresholds, clock.now());
        setHistory({ version: team.version, teamId: team.id, timeline: buildTimeline(team, sorted, spans), spans, error: null });
      }).catch((e: unknown) => {
        if (!cancelled) setHistory({ version: team.version, teamId: team.id, timeline: [], spans: [], error: e instanceof Error ? e.message : String(e) });
      });
    }, 10);
    return () => { cancelled = true; clearTimeout(timer); };
  }, [enabled, team, stale, thresholds, clock]);
  return history && team && history.teamId === team.id ? history : null;
}
