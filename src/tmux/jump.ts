// Jumping to a teammate's tmux pane from teamtop running inside tmux: the client showing teamtop
// moves to the pane's session, window and pane. Only meaningful when the team's panes live on
// teamtop's own tmux server (the pane ids of two servers are unrelated).
import { insideTmux, isPaneId, runTmux, type TmuxEnv } from './panes.js';

export type JumpResult = { ok: true } | { ok: false; reason: string };

/**
 * Selects the pane's window and the pane, then switches the current client to it, in one tmux
 * call (commands separated by a ";" argument, no shell). switch-client also covers a pane in
 * another session; in the same session it changes nothing more. Which client moves is tmux's
 * choice: one attached to teamtop's session ($TMUX_PANE or $TMUX say which), else the most recent.
 */
export async function jumpToPane(paneId: string, env: TmuxEnv = process.env): Promise<JumpResult> {
  if (!isPaneId(paneId)) return { ok: false, reason: 'not a tmux pane' };
  if (!insideTmux(env)) return { ok: false, reason: 'teamtop is not running inside tmux' };
  const r = await runTmux(['select-window', '-t', paneId, ';', 'select-pane', '-t', paneId, ';', 'switch-client', '-t', paneId], env);
  return r.ok ? { ok: true } : { ok: false, reason: r.reason };
}

/**
 * Whether a jump can work: teamtop runs inside tmux and its server answers. A client attached
 * later is fine (the jump asks tmux then); with none attached, the jump reports tmux's reason.
 */
export async function canJump(env: TmuxEnv = process.env): Promise<boolean> {
  if (!insideTmux(env)) return false;
  const r = await runTmux(['list-sessions', '-F', '#{session_id}'], env);
  return r.ok && r.stdout.trim() !== '';
}
