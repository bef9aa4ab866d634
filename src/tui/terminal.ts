// Terminal setup and restoration. restore() is idempotent and runs on every exit path (q, Ctrl-C,
// SIGTERM, SIGHUP, an uncaught error) and before the program stops (Ctrl-Z, SIGTSTP), so the
// shell gets back a visible cursor, cooked mode and its own screen.
const ENTER_ALT = '\x1b[?1049h';
const LEAVE_ALT = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';
const CURSOR_HOME = '\x1b[H';

let active = false;

export function enterAltScreen(out: NodeJS.WriteStream = process.stdout): void {
  if (active) return;
  active = true;
  out.write(ENTER_ALT);
}

export function restoreTerminal(out: NodeJS.WriteStream = process.stdout, input: NodeJS.ReadStream = process.stdin): void {
  try {
    if (input.isTTY && input.isRaw) input.setRawMode(false);
  } catch {
    // stdin already closed
  }
  try {
    out.write(SHOW_CURSOR + (active ? LEAVE_ALT : ''));
  } catch {
    // stdout already closed (the pane went away)
  }
  active = false;
}

/** What resumeTerminal() needs to take the terminal back as it was before the program stopped. */
export interface SuspendedTerminal {
  raw: boolean;
  alt: boolean;
}

/** Before the program stops: exactly what an exit does (restoreTerminal), remembering what to undo. */
export function suspendTerminal(out: NodeJS.WriteStream = process.stdout, input: NodeJS.ReadStream = process.stdin): SuspendedTerminal {
  const state = { raw: input.isTTY === true && input.isRaw, alt: active };
  restoreTerminal(out, input);
  return state;
}

/**
 * After the program is continued: raw mode first (in a background job this stops the program
 * again, with SIGTTOU, until it is brought to the foreground), then the alternate screen — which
 * starts blank, so the caller must repaint the whole frame — with the cursor at its top-left
 * corner and hidden, as the renderer left it.
 */
export function resumeTerminal(state: SuspendedTerminal, out: NodeJS.WriteStream = process.stdout, input: NodeJS.ReadStream = process.stdin): void {
  if (state.raw && input.isTTY) input.setRawMode(true);
  if (state.alt) enterAltScreen(out);
  out.write((state.alt ? CURSOR_HOME : '') + HIDE_CURSOR);
}
