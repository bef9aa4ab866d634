// The files of a native team directory (docs/state-format.md).
import { ACKS_FILE } from '../../ports/acks.js';
import { ACTIONS_FILE, ROLLBACK_FILE } from '../../ports/effects.js';

export const TEAM_FILES = {
  team: 'team.json',
  teammates: 'teammates.json',
  manifest: 'team-manifest.json',
  mailbox: 'mailbox.jsonl',
  events: 'events.jsonl',
  actions: ACTIONS_FILE,
  checkpoints: 'checkpoints',
  acks: ACKS_FILE,
  rollback: ROLLBACK_FILE,
} as const;
