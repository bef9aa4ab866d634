// The rows each pane lists for a team, after the pane's filter.
import type { Message, Task, Teammate } from '../model/types.js';
import type { TeamSnapshot } from '../model/snapshot.js';
import type { Alert } from '../alerts/types.js';
import { alertSearch, matchesFilter, messageSearch, taskSearch, teammateSearch } from './panes.js';
import type { PaneId } from './pane-ids.js';

export interface PaneLists {
  teammates: readonly Teammate[];
  tasks: readonly Task[];
  mailbox: readonly Message[];
  alerts: readonly Alert[];
  totals: Record<PaneId, number>;
}

/** `mailbox`: the messages to list, when older ones were loaded before the in-memory window. */
export function deriveLists(team: TeamSnapshot | undefined, alerts: readonly Alert[], filters: Record<PaneId, string>, mailbox?: readonly Message[]): PaneLists {
  const tm = team?.teammates ?? [];
  const tasks = team?.tasks ?? [];
  const msgs = mailbox ?? team?.mailbox.recent ?? [];
  return {
    teammates: filters.teammates ? tm.filter((t) => matchesFilter(teammateSearch(t, team!), filters.teammates)) : tm,
    tasks: filters.tasks ? tasks.filter((t) => matchesFilter(taskSearch(t), filters.tasks)) : tasks,
    mailbox: filters.mailbox ? msgs.filter((m) => matchesFilter(messageSearch(m), filters.mailbox)) : msgs,
    alerts: filters.alerts ? alerts.filter((a) => matchesFilter(alertSearch(a), filters.alerts)) : alerts,
    totals: { teammates: tm.length, tasks: tasks.length, mailbox: team?.mailbox.aggregates.total ?? 0, alerts: alerts.length },
  };
}
