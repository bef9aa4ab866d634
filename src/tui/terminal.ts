// Terminal setup and restoration. restore() is idempotent and runs on every exit path (q, Ctrl-C,
// SIGTERM, SIGHUP, an uncaught error), so the shell gets back a visible cursor, cooked mode and
// its own screen.
const ENTER_ALT = '\x1b[?1049h';
const LEAVE_ALT = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

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
