// Jumping to a teammate's tmux pane from teamtop running inside tmux: the client showing teamtop
// moves to the pane's session, window and pane. Only meaningful when the team's panes live on
// teamtop's own tmux server (the pane ids of two servers are unrelated).
import { insideTmux, isPaneId, probePanes, runTmux, tmuxServers, type TmuxEnv } from './panes.js';

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
  // Pane ids repeat across servers: go only to a pane that teamtop's own server alone has.
  const [servers, probe] = await Promise.all([tmuxServers(env), probePanes([paneId], env)]);
  const mine = Array.isArray(servers) ? servers[0]!.label : null;
  if (probe.reachable) {
    const on = probe.where.get(paneId) ?? [];
    if (on.length === 0) return { ok: false, reason: `no tmux server has pane ${paneId} (asked ${probe.asked.join(', ')})` };
    if (on.length > 1) return { ok: false, reason: `pane ${paneId} exists on several tmux servers (${on.join(', ')}): which is the teammate's cannot be told` };
    if (on[0] !== mine) return { ok: false, reason: `its pane is on another tmux server (${on[0]}): attach to that server to see it` };
  }
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
