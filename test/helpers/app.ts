// Mounting the real App on a state root for component tests: a native source on a manual clock,
// the alert engine, a writer per team, and a driver that waits for frames. One harness for every
// App test; `unmount()` releases it all.
import React from 'react';
import { join } from 'node:path';
import { App, type AppProps } from '../../components/App.js';
import { NativeSource } from '../../src/sources/native/source.js';
import { NativeWriter } from '../../src/sources/native/writer.js';
import { AlertEngine } from '../../src/alerts/engine.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { ManualClock } from '../../src/model/clock.js';
import { drive, type Driver } from './tui.js';

export interface MountedApp {
  d: Driver;
  source: NativeSource;
  engine: AlertEngine;
  clock: ManualClock;
  /** Stops the app, the engine and the source. */
  unmount(): Promise<void>;
}

export interface MountOptions extends Partial<Omit<AppProps, 'source' | 'alerts' | 'clock'>> {
  /** The clock's start (default: now). */
  now?: number;
  /** Watch the root for changes (default: off; tests refresh or watch explicitly). */
  watch?: boolean;
  /** No writer: the App runs without the action layer. */
  noWriter?: boolean;
}

/** The App on `root`, waiting for its first frame with the panes. */
export async function mountApp(root: string, o: MountOptions = {}): Promise<MountedApp> {
  const clock = new ManualClock(o.now ?? Date.now());
  const source = new NativeSource(root, () => clock.now());
  await source.load();
  if (o.watch) await source.watch();
  const thresholds = o.thresholds ?? DEFAULT_THRESHOLDS;
  const engine = new AlertEngine(source, clock, thresholds);
  engine.start();
  const writerFor = o.noWriter ? undefined : o.writerFor ?? ((id: string) => new NativeWriter(join(root, id), { lead: 'lead', stateRoot: root, now: () => clock.now() }));
  const { now: _n, watch: _w, noWriter: _nw, ...props } = o;
  const d = drive(React.createElement(App, { size: { columns: 120, rows: 40 }, ...props, source, alerts: engine, clock, thresholds, writerFor }));
  await d.waitFor((f) => f.includes('1 Teammates'));
  return {
    d, source, engine, clock,
    unmount: async () => {
      d.unmount();
      engine.stop();
      await source.close();
    },
  };
}
