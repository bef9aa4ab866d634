import React from 'react';
import { Text } from 'ink';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import type { Alert } from '../src/alerts/types.js';
import type { Clock } from '../src/model/clock.js';
import { formatClock } from '../src/model/time.js';
import { SEVERITY_LABEL } from '../src/model/types.js';
import { SEVERITY_COLOR } from '../src/tui/panes.js';
import { sanitize } from '../src/safety/sanitize.js';
import { useTick } from './hooks.js';

export function Header({ team, teamIndex, teamCount, folded = 0, archived, alerts, clock, readonly, width }: {
  team: TeamSnapshot | undefined;
  teamIndex: number;
  teamCount: number;
  /** Teams with no teammates not listed (e shows them). */
  folded?: number;
  archived: number;
  alerts: readonly Alert[];
  clock: Clock;
  readonly: boolean;
  width: number;
}): React.JSX.Element {
  // Minutes only: a clock with seconds would redraw the whole frame every second.
  const now = useTick(clock, (t) => formatClock(t).slice(0, 5));
  const by = { critical: 0, high: 0, medium: 0, low: 0 } as Record<string, number>;
  for (const a of alerts) by[a.severity] = (by[a.severity] ?? 0) + 1;
  const counts = (['critical', 'high', 'medium', 'low'] as const).filter((s) => by[s]! > 0);
  const total = team?.mailbox.aggregates.total ?? 0;
  return (
    <Text wrap="truncate-end">
      <Text bold color="cyan">teamtop</Text>
      {readonly && <Text color="yellow"> [read-only]</Text>}
      <Text> │ </Text>
      <Text bold>{team ? sanitize(team.id) : 'no team'}</Text>
      {teamCount > 1 && <Text dimColor>{` [${teamIndex + 1}/${teamCount}]`}</Text>}
      {folded > 0 && <Text dimColor>{` +${folded} hidden (e)`}</Text>}
      {team?.endedAt != null && <Text color="yellow">{` ended ${formatClock(team.endedAt).slice(0, 5)}`}</Text>}
      {team?.info.status && <Text color={team.info.status === 'active' ? 'green' : 'yellow'}>{` ${team.info.status}`}</Text>}
      {team?.origin && width >= 100 && (team.origin.cwd || team.origin.startedAt !== null) && (
        <Text dimColor>{` · ${originText(team.origin)}`}</Text>
      )}
      <Text> │ </Text>
      <Text>{`${team?.teammates.length ?? 0} tm · ${team?.tasks.length ?? 0} tasks · ${total} msgs`}</Text>
      {team?.mailbox.indexing && <Text color="yellow">{` (indexing ${Math.floor((team.mailbox.progress ?? 0) * 100)}%)`}</Text>}
      <Text> │ </Text>
      {counts.length === 0
        ? <Text color="green">no alerts</Text>
        : counts.map((s, i) => (
            <Text key={s} color={SEVERITY_COLOR[s]} bold={s === 'critical'}>{`${i ? ' ' : ''}${by[s]} ${SEVERITY_LABEL[s].toLowerCase()}`}</Text>
          ))}
      {archived > 0 && width >= 100 && <Text dimColor>{` │ ${archived} archived`}</Text>}
      <Text dimColor>{` │ ${formatClock(now).slice(0, 5)}`}</Text>
    </Text>
  );
}

/** "~/billing-api, started 14:02" (the project a session team works in, and when it began). */
function originText(o: { cwd: string | null; startedAt: number | null }): string {
  const home = process.env.HOME;
  const cwd = o.cwd ? sanitize(home && o.cwd.startsWith(`${home}/`) ? `~${o.cwd.slice(home.length)}` : o.cwd) : null;
  const started = o.startedAt === null ? null : `started ${formatClock(o.startedAt).slice(0, 5)}`;
  return [cwd, started].filter(Boolean).join(', ');
}
