// A line in the status bar of the tmux clients showing teamtop's session (display-message, no
// shell): a new critical alert is seen from the agents' panes too, not only where teamtop runs.
import { insideTmux, runTmux, type TmuxEnv } from './panes.js';
import { sanitize } from '../safety/sanitize.js';

/** How long tmux shows the message (ms). */
export const NOTIFY_MS = 8000;

/**
 * Shows `text` (sanitized, one line, '#' doubled so tmux expands no format in it) on the client of
 * teamtop's pane; false when teamtop is not inside tmux or tmux refused. Never throws.
 */
export async function tmuxNotify(text: string, env: TmuxEnv = process.env): Promise<boolean> {
  if (!insideTmux(env)) return false;
  const line = sanitize(text).replace(/\s+/g, ' ').slice(0, 200).replace(/#/g, '##');
  const target = env.TMUX_PANE && /^%\d+$/.test(env.TMUX_PANE) ? ['-t', env.TMUX_PANE] : [];
  const r = await runTmux(['display-message', '-d', String(NOTIFY_MS), ...target, line], env).catch(() => ({ ok: false as const }));
  return r.ok;
}
