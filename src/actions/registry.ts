// Every recovery action, in the order help, README and `act` list them. Adding an action: its
// module (an ActionDef: name, key, help, target, questions, planner), its name in ActionName
// (src/ports/effects.ts), and one line here — the keymap, help, dialogs and `act` follow.
import type { ActionName } from '../ports/effects.js';
import type { ActionDef } from './action.js';
import { WAKE } from './wake.js';
import { RESEND } from './resend.js';
import { BREAK_CYCLE } from './break-cycle.js';
import { REASSIGN } from './reassign.js';
import { COMPLETE } from './complete.js';
import { HALT } from './halt.js';
import { RESUME } from './resume.js';
import { ABORT } from './abort.js';
import { UNDO_ABORT } from './undo-abort.js';

export const ACTIONS: Readonly<Record<ActionName, ActionDef>> = {
  wake: WAKE, resend: RESEND, 'break-cycle': BREAK_CYCLE, reassign: REASSIGN, complete: COMPLETE,
  halt: HALT, resume: RESUME, abort: ABORT, 'undo-abort': UNDO_ABORT,
};

/** Their names in order. */
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

