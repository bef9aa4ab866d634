// The four panes.
export const PANES = ['teammates', 'tasks', 'mailbox', 'alerts'] as const;
export type PaneId = (typeof PANES)[number];

export const PANE_TITLES: Record<PaneId, string> = {
  teammates: 'Teammates', tasks: 'Tasks', mailbox: 'Mailbox', alerts: 'Alerts',
};

