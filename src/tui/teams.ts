// Which teams the TUI lists, and which teammate a row is about. A Claude Code home holds one
// team per session, most of them without a teammate, and teamtop keeps the teams that ended:
// quiet teams (nothing in them yet) and teams that ended over a day ago fold into a count in the header
// (`e` shows them) unless no team is left to show.
import { isQuietTeam, type TeamSnapshot } from '../model/snapshot.js';
import type { Teammate } from '../model/types.js';
import type { PaneLists } from './derive.js';
import type { PaneId } from './pane-ids.js';

/** Going to a teammate's tmux pane: available only when teamtop itself runs inside tmux. */
export interface PaneJumper {
  available: boolean;
  jump(pane: string): Promise<{ ok: true } | { ok: false; reason: string }>;
}

/** An ended team stays in the list this long after it was last seen (then it folds). */
const ENDED_SHOWN_MS = 24 * 3600_000;

export function visibleTeams(teams: readonly TeamSnapshot[], showEmpty: boolean, now: number = Date.now()): { shown: TeamSnapshot[]; folded: number } {
  if (showEmpty) return { shown: [...teams], folded: 0 };
  const shown = teams.filter((t) => !isQuietTeam(t) && (t.endedAt == null || now - t.endedAt < ENDED_SHOWN_MS));
  if (shown.length === 0) return { shown: [...teams], folded: 0 };
  return { shown, folded: teams.length - shown.length };
}

/** The teammate a row of a pane is about: the teammate itself, a task's owner, an alert's subject. */
export function teammateOfRow(team: TeamSnapshot | undefined, lists: PaneLists, pane: PaneId, index: number): Teammate | undefined {
  if (!team) return undefined;
  const byId = (id: string | null | undefined): Teammate | undefined => (id ? team.teammates.find((t) => t.id === id) : undefined);
  switch (pane) {
    case 'teammates': return lists.teammates[index];
    case 'tasks': return byId(lists.tasks[index]?.owner);
    case 'alerts': return lists.alerts[index]?.subject.map(byId).find((t) => t !== undefined);
    case 'mailbox': return byId(lists.mailbox[index]?.from);
  }
}
