// Every test run keeps teamtop's own state (the kept copies of Claude Code teams, the log) in a
// directory of its own, never in the user's ~/.local/state, and sees no tmux server but those the
// tests start (TMUX_TMPDIR is a fresh directory; TMUX is unset): set before any test file loads,
// and inherited by every program the tests start.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.TEAMTOP_TEST_STATE_ISOLATED) {
  process.env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'teamtop-xdg-state-'));
  process.env.TMUX_TMPDIR = mkdtempSync(join(tmpdir(), 'teamtop-tmux-'));
  delete process.env.TMUX;
  delete process.env.TMUX_PANE;
  process.env.TEAMTOP_TEST_STATE_ISOLATED = '1';
}
