// A state root kept live for the long-running headless commands (`serve`, `check --watch`): the
// same source and alert engine as the TUI, started again whenever the root disappears and comes
// back. Every change (and every clock tick) hands the teams with their alerts to `changed`;
// `status` says when the root became unavailable and when it is back.
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AlertEngine } from '../alerts/engine.js';
import { IntervalClock } from '../model/clock.js';
import type { StateSource } from '../sources/source.js';
import type { TeamState } from '../metrics/exposition.js';
import { CONFIG_FILE, loadThresholds } from './config.js';
import { createSource, type SourceChoice } from './source-opts.js';

/** How often the root is looked for while it is gone, and checked while it is there (ms). */
const RETRY_MS = 2000;

export type LiveStatus = { ok: true; root: string } | { ok: false; root: string | null; error: string };

export interface LiveOptions extends SourceChoice {
  team?: string;
  config?: string;
}

export class LiveState {
  private source: StateSource | null = null;
  private engine: AlertEngine | null = null;
  private clock: IntervalClock | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The outage under way has been said (once per outage, not on every retry). */
  private saidDown = false;
  private unsubs: Array<() => void> = [];

  constructor(
    private readonly opts: LiveOptions,
    private readonly changed: (teams: TeamState[], now: number) => void,
    private readonly status: (s: LiveStatus) => void,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Starts (or keeps trying to start); resolves after the first attempt either way. */
  async start(): Promise<void> {
    await this.attempt();
    this.timer = setInterval(() => { void this.check(); }, RETRY_MS);
  }

  private async attempt(): Promise<void> {
    let source: StateSource | null = null;
    try {
      source = await createSource(this.opts, this.env);
      await source.load();
      const thresholds = await loadThresholds(this.opts.config ?? join(source.root, CONFIG_FILE), !this.opts.config);
      await source.watch();
      if (this.stopped) { await source.close(); return; }
      const clock = new IntervalClock();
      const engine = new AlertEngine(source, clock, thresholds);
      this.source = source;
      this.clock = clock;
      this.engine = engine;
      engine.start();
      // Every change and every tick, not only when an alert changes: ages, acknowledgements and
      // the refresh time move too. The engine recomputes first (it subscribed first).
      this.unsubs = [source.subscribe(() => this.emit()), clock.subscribe(() => this.emit())];
      this.saidDown = false;
      this.status({ ok: true, root: source.root });
      this.emit();
    } catch (e) {
      await source?.close().catch(() => undefined);
      this.down(source?.root ?? null, (e as Error).message);
    }
  }

  private down(root: string | null, error: string): void {
    // The first reason only.
    if (!this.saidDown) this.status({ ok: false, root, error });
    this.saidDown = true;
  }

  /** While up: is the root still there? While down: try again. */
  private async check(): Promise<void> {
    if (this.stopped) return;
    if (!this.source) { await this.attempt(); return; }
    const root = this.source.root;
    const there = await stat(root).then((s) => s.isDirectory(), () => false);
    if (there) return;
    await this.teardown();
    this.down(root, `${root} is gone`);
  }

  private emit(): void {
    if (!this.source || !this.engine || !this.clock) return;
    // A root that went away makes the source see every team vanish: that is an outage, not every
    // alert clearing. Nothing is handed on; the source is stopped and retried.
    if (!existsSync(this.source.root)) {
      const root = this.source.root;
      void this.teardown().then(() => this.down(root, `${root} is gone`));
      return;
    }
    const alerts = this.engine.getSnapshot();
    const teams = this.source.getSnapshot().teams.filter((t) => !this.opts.team || t.id === this.opts.team);
    this.changed(teams.map((team) => {
      const all = alerts.get(team.id) ?? [];
      // A failed detector reaches the engine's listeners as an alert naming it (failureAlert).
      const failures = all.filter((a) => a.kind === 'invalid-state' && a.subject[0] === 'detector')
        .map((a) => ({ detector: a.subject[1] ?? '', kinds: (a.evidence.kinds as string[] | undefined) ?? [], error: String(a.evidence.error ?? '') }));
      return { team, alerts: all, failures };
    }), this.clock.now());
  }

  private async teardown(): Promise<void> {
    for (const u of this.unsubs) u();
    this.unsubs = [];
    this.engine?.stop();
    this.engine = null;
    this.clock = null;
    const s = this.source;
    this.source = null;
    await s?.close().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.teardown();
  }
}
