// `teamtop [--root DIR | DIR] [--team ID] [--demo [--static]] [--readonly] [--config FILE]`: the TUI.
import { canJump, jumpToPane } from '../tmux/jump.js';
import { teamtopStateDir } from '../files/state-dir.js';
import { noSuchTeam } from './open.js';
import { tmuxNotify } from '../tmux/notify.js';
import type { PaneJumper } from '../tui/teams.js';
import { parseArgs } from 'node:util';
import { appendFileSync } from 'node:fs';
import { trace, tracing } from '../model/trace.js';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import { writeLog } from './log.js';
import { RootError, type StateSource } from '../sources/source.js';
import { AlertEngine } from '../alerts/engine.js';
import { CONFIG_FILE, loadThresholds } from './config.js';
import { IntervalClock } from '../model/clock.js';
import { enterAltScreen, restoreTerminal, resumeTerminal, suspendTerminal } from '../tui/terminal.js';
import { prepareDemo } from '../demo/prepare.js';
import { createSource, demoEnv, demoRoot, demoSimulator, prepareInteractiveDemo, SOURCE_OPTIONS, SOURCE_USAGE_ACTIONS } from './source-opts.js';
import { isAcked } from '../alerts/acks.js';

export const TUI_USAGE = `usage: teamtop [--root DIR | DIR | --source KIND] [--team ID] [--readonly] [--config FILE] [--no-bell]
       teamtop --demo [--static] [--source KIND]
       teamtop check ...        (teamtop check --help)
       teamtop serve ...        (teamtop serve --help: a Prometheus exporter)
       teamtop act ...          (teamtop act --help)
       teamtop postmortem ...   (teamtop postmortem --help)
       teamtop lessons add ...  (teamtop lessons --help)

Watches a team-state root (default ./.team-state, or $TEAMTOP_STATE) and shows teammates,
tasks, mailbox and alerts. Keys: ? in the program.

${SOURCE_USAGE_ACTIONS(true)}
  --team ID       start on this team
  --readonly      disable every action that writes state
  --config FILE   detector thresholds (default: DIR/${CONFIG_FILE} when present)
  --no-bell       do not ring the terminal bell (nor, inside tmux, show a tmux message) when a new
                  critical alert appears
  --demo          run on a copy of the bundled sample teams (timestamps shifted to now)
  --static        with --demo: no simulated activity
  --help          this text
  --version       the version`;

/**
 * TEAMTOP_STATS=FILE: every 2 s, one JSON line with memory, the active handles by type and the
 * listener counts of the stores (the soak test reads it to find leaks).
 */
function startStats(file: string | undefined, listeners: () => Record<string, number>): () => void {
  if (!file) return () => undefined;
  const write = (): void => {
    // TEAMTOP_STATS_GC=1 with --expose-gc: measure what is retained, not what awaits collection.
    if (process.env.TEAMTOP_STATS_GC === '1') (globalThis as { gc?: () => void }).gc?.();
    const resources: Record<string, number> = {};
    for (const r of process.getActiveResourcesInfo()) resources[r] = (resources[r] ?? 0) + 1;
    const m = process.memoryUsage();
    appendFileSync(file, JSON.stringify({ t: Date.now(), pid: process.pid, rss: m.rss, heapUsed: m.heapUsed, resources, listeners: listeners() }) + '\n');
  };
  write();
  const timer = setInterval(write, 2000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Rings the terminal bell once for each critical alert that appears while teamtop runs (not for
 * the ones already there at start, nor acknowledged ones), and says it with `notify` (inside tmux:
 * a message on the status line of teamtop's session, seen from the agents' panes too). Returns
 * the unsubscribe function.
 */
export function ringOnNewCritical(engine: AlertEngine, source: StateSource, out: NodeJS.WriteStream = process.stdout, notify?: (text: string) => void): () => void {
  const seen = new Set<string>();
  const scan = (ring: boolean): void => {
    const teams = new Map(source.getSnapshot().teams.map((t) => [t.id, t]));
    let fresh = false;
    const said: string[] = [];
    for (const [teamId, alerts] of engine.getSnapshot()) {
      for (const a of alerts) {
        if (a.severity !== 'critical') continue;
        const key = `${teamId}\u0000${a.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const team = teams.get(teamId);
        if (!team || !isAcked(a, team.acks)) { fresh = true; said.push(`${teamId} ${a.kind}: ${a.summary}`); }
      }
    }
    if (ring && fresh) {
      out.write('\u0007');
      notify?.(`teamtop: CRIT ${said[0]}${said.length > 1 ? ` (+${said.length - 1} more)` : ''}`);
    }
  };
  scan(false);
  return engine.subscribe(() => scan(true));
}

/**
 * Loads Ink and React only for the TUI (the headless commands stay fast to start). Ink decides at
 * import time, from $CI, to write no frames at all ("CI mode"); the monitor only ever runs on a
 * TTY, where frames are the point, so CI and CONTINUOUS_INTEGRATION are hidden while it loads.
 */
async function loadInteractive() {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    const [{ render, useStdout }, React, { App }] = await Promise.all([
      import('ink'), import('react').then((m) => m.default), import('../../components/App.js'),
    ]);
    return { render, useStdout, React, App };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  }
}

export async function runTui(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...SOURCE_OPTIONS,
      team: { type: 'string' },
      demo: { type: 'boolean' },
      static: { type: 'boolean' },
      readonly: { type: 'boolean' },
      config: { type: 'string' },
      'no-bell': { type: 'boolean' },
    },
  });
  if (positionals.length > 1) throw new UsageError(`unexpected argument: ${positionals[1]}`);
  if (values.static && !values.demo) throw new UsageError('--static goes with --demo');
  if (values.demo && (values.root || positionals.length)) throw new UsageError('--demo runs on its own sample state: drop the root');

  // Ink and React take a few hundred ms to load: start now, alongside reading the state.
  const interactive = process.stdin.isTTY && process.stdout.isTTY ? loadInteractive() : null;
  interactive?.catch(() => undefined);
  // Whether `p` can jump to a teammate's pane (asks tmux): also while the state loads.
  const jumpable = canJump().catch(() => false);

  let root: string;
  let demoDir: string | null = null;
  let demoExtras: string[] = [];
  let demoReady: Promise<void> = Promise.resolve();
  if (values.demo) {
    demoDir = await prepareDemo();
    root = demoRoot(values.source, demoDir);
    // Scratch repositories, so every recovery action (abort and undo-abort too) runs in the demo:
    // named in the copy now, built while the state and the interface load.
    ({ dirs: demoExtras, ready: demoReady } = await prepareInteractiveDemo(values.source, demoDir));
  } else {
    root = values.root ?? positionals[0] ?? '';
  }
  const cleanupDemo = async (): Promise<void> => {
    for (const d of demoDir ? [demoDir, ...demoExtras] : []) await rm(d, { recursive: true, force: true }).catch(() => undefined);
  };

  let source: StateSource;
  try {
    source = await createSource({ ...values, root: root || undefined, positional: undefined }, demoDir ? demoEnv(demoDir) : process.env, true);
    await source.load();
  } catch (e) {
    await cleanupDemo();
    if (e instanceof RootError) {
      process.stderr.write(`teamtop: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    await source.close();
    await cleanupDemo();
    process.stderr.write('teamtop: the monitor needs a terminal (stdin and stdout must be a TTY); for scripts and hooks use `teamtop check`\n');
    return 2;
  }
  const thresholds = await loadThresholds(values.config ?? join(source.root, CONFIG_FILE), !values.config);
  if (values.team && !source.getSnapshot().teams.some((t) => t.id === values.team)) {
    await source.close();
    await cleanupDemo();
    throw noSuchTeam(values.team, source);
  }
  await source.watch();

  const clock = new IntervalClock();
  const engine = new AlertEngine(source, clock, thresholds);
  engine.start();
  // --no-bell silences both the bell and the tmux message.
  const stopBell = values['no-bell'] ? () => undefined : ringOnNewCritical(engine, source, process.stdout, (text) => { void tmuxNotify(text); });
  const writerFor = (teamId: string) => source.writer(teamId);
  // `p` goes to a teammate's tmux pane only when teamtop itself runs inside tmux.
  const panes: PaneJumper = { available: await jumpable, jump: (pane) => jumpToPane(pane) };
  const sim = demoDir && !values.static ? demoSimulator(source) : null;
  sim?.start();

  const { render, useStdout, React, App } = await (interactive ?? loadInteractive());
  // Actions plan against the demo's repositories: they exist before the first key is read.
  try {
    await demoReady;
  } catch (e) {
    sim?.stop();
    engine.stop();
    await source.close();
    await cleanupDemo();
    throw e;
  }

  const stopStats = startStats(process.env.TEAMTOP_STATS, () => ({
    source: source.listenerCount, clock: clock.listenerCount, alerts: engine.listenerCount,
  }));
  // Ink's own stdout writer (useStdout().write) erases Ink's output, writes, and writes the whole
  // last frame again: given '', it repaints the frame in full. A rerender would not: Ink writes a
  // frame only when it differs from the last one it wrote.
  const painter: { write?: (data: string) => void } = {};
  const Painter = (): null => {
    painter.write = useStdout().write;
    return null;
  };
  // Raw mode before the first frame: Ink turns it on when its input hook subscribes, just after the
  // first frame is drawn, and a Ctrl-C in between was a SIGINT (exit 130) instead of the quit key.
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  enterAltScreen();
  const instance = renderOrRestore(() => render(
    React.createElement(React.Fragment, null,
      React.createElement(App, {
        source, alerts: engine, clock, thresholds, readonly: values.readonly === true, initialTeam: values.team, writerFor, panes,
        // The demo's copy goes when it quits: its post-mortems are written where they stay.
        ...(demoDir ? { reportsDir: join(teamtopStateDir(process.env), 'demo-reports') } : {}),
      }),
      React.createElement(Painter)),
    {
      exitOnCtrlC: false,
      patchConsole: false,
      // Only the lines that changed are written (with the patch to Ink in patches/: also when the
      // frame fills the terminal). See docs/ink-patch.md.
      incrementalRendering: true,
      // A frame after a quiet moment is drawn at once (leading edge); a burst of commits (the
      // source already emits at most ~30 snapshots a second) is drawn at most every 16 ms.
      maxFps: 60,
      // TEAMTOP_TRACE=FILE: the bench's probe — one line per frame with Ink's render time.
      onRender: tracing ? (m) => trace('render', m.renderTime) : undefined,
    },
  ));

  // One way out, whatever the cause: stop the app, let Ink write its last frame (into the
  // alternate screen), restore the terminal, and only then print anything for the user.
  // The first cause wins: unmounting resolves waitUntilExit, whose own shutdown(0) must not
  // overtake a signal's or an error's exit code.
  let exiting: Promise<never> | null = null;
  const shutdown = (code: number, message?: string): Promise<never> => {
    exiting ??= (async (): Promise<never> => {
      process.off('SIGTSTP', onStop);
      process.stdin.off('data', onKeyBytes);
      sim?.stop();
      stopBell();
      stopStats();
      engine.stop();
      try { instance.unmount(); } catch { /* already unmounted */ }
      restoreTerminal();
      if (message) process.stderr.write(message);
      await source.close().catch(() => undefined);
      await cleanupDemo();
      process.exit(code);
    })();
    return exiting;
  };
  // Ctrl-Z, which raw mode delivers as the byte 0x1a instead of raising SIGTSTP, and SIGTSTP itself
  // (`kill -TSTP`): give the terminal back exactly as an exit does, stop, and once continued
  // (SIGCONT: `fg`) take it back and repaint the whole frame on the blank alternate screen.
  // Everything runs synchronously, so no frame is written while the shell has the terminal.
  // shutdown removes these listeners first: once exiting, there is no suspending.
  const suspend = (): void => {
    if (exiting) return;
    const saved = suspendTerminal();
    // With a listener Node ignores SIGTSTP; without one it has its default action, and raising it
    // on ourselves stops the process before process.kill returns. Unlike SIGSTOP, the kernel
    // discards it when no shell does job control for us (an orphaned process group: teamtop as
    // a tmux pane's own command), where nothing could ever continue the process.
    process.off('SIGTSTP', onStop);
    try {
      process.kill(process.pid, 'SIGTSTP');
    } finally {
      process.on('SIGTSTP', onStop);
    }
    // Continued (or, without job control, never stopped).
    resumeTerminal(saved);
    painter.write?.('');
  };
  const onStop = (): void => suspend();
  // Ink reads stdin on 'readable' (attached by render()), so this sees each chunk it reads.
  const onKeyBytes = (chunk: string | Buffer): void => {
    if (String(chunk).includes('\u001a')) suspend();
  };
  process.on('SIGTSTP', onStop);
  process.stdin.on('data', onKeyBytes);

  const onSignal = (n: number) => (): void => { void shutdown(128 + n); };
  process.once('SIGTERM', onSignal(15));
  process.once('SIGHUP', onSignal(1));
  process.once('SIGINT', onSignal(2));
  const onCrash = (err: unknown): void => {
    const stack = err instanceof Error ? err.stack ?? err.message : String(err);
    const log = writeLog(stack);
    void shutdown(1, `teamtop: internal error: ${err instanceof Error ? err.message : String(err)}\n`
      + (log ? `the stack trace is in ${log}\n` : ''));
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  // Fault injection for the exit-path tests (TEAMTOP_FAULT=uncaught | render).
  if (process.env.TEAMTOP_FAULT === 'uncaught') setTimeout(() => { throw new Error('injected fault (TEAMTOP_FAULT=uncaught)'); }, 500);

  try {
    await instance.waitUntilExit();
  } catch (e) {
    onCrash(e);
    return new Promise<never>(() => undefined);
  }
  return shutdown(0);
}

/** Ink's render, with the terminal given back (raw mode, the alternate screen) if it throws. */
function renderOrRestore<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    restoreTerminal();
    throw e;
  }
}
