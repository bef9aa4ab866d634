// The one dispatcher of the reducer's intents: everything the App does outside the reducer (I/O,
// dialogs, writes) starts here, never during a render. One handler per intent kind: a new kind
// without a handler is a type error (IntentHandlers is keyed by every kind, and the switch below
// must be exhaustive).
import { useEffect, useLayoutEffect, useRef } from 'react';
import type { Intent } from '../src/tui/dialogs.js';

export type IntentHandlers = { [K in Intent['kind']]: (intent: Extract<Intent, { kind: K }>) => void };

function dispatch(intent: Intent, h: IntentHandlers): void {
  switch (intent.kind) {
    case 'ack': return h.ack(intent);
    case 'action': return h.action(intent);
    case 'step': return h.step(intent);
    case 'apply': return h.apply(intent);
    case 'older': return h.older(intent);
    case 'newer': return h.newer(intent);
    case 'postmortem': return h.postmortem(intent);
    case 'lesson-form': return h['lesson-form'](intent);
    case 'lesson': return h.lesson(intent);
    case 'jump': return h.jump(intent);
    case 'say': return h.say(intent);
    default: {
      const unhandled: never = intent;
      throw new Error(`no handler for the intent ${JSON.stringify(unhandled)}`);
    }
  }
}

/** Runs each new intent once, with the handlers of the latest render; `done` clears it. */
export function useIntents(intent: Intent | null, handlers: IntentHandlers, done: (taken: Intent) => void): void {
  const latest = useRef(handlers);
  useLayoutEffect(() => { latest.current = handlers; });
  useEffect(() => {
    if (!intent) return;
    done(intent);
    dispatch(intent, latest.current);
  }, [intent, done]);
}
