// The TUI on Claude Code's current layout (demo-state/.claude): session teams with their project
// in the header, empty sessions folded (e shows them), the Tasks pane saying why a team has no
// task files, and a teammate's detail naming what decided its liveness and which transcript its
// context comes from, and how that transcript was matched.
import React from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { App } from '../components/App.js';
import { ClaudeSource } from '../src/sources/claude/source.js';
import { AlertEngine } from '../src/alerts/engine.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { ManualClock } from '../src/model/clock.js';
import { prepareDemo } from '../src/demo/prepare.js';
import { drive, KEYS, type Driver } from './helpers/tui.js';
import { removeDir, tempDir } from './helpers/state.js';

let demo: string;
let state: string;
let source: ClaudeSource;
let engine: AlertEngine;
let d: Driver;

beforeEach(async () => {
  demo = await prepareDemo();
  state = tempDir('teamtop-app-claude-');
  const clock = new ManualClock(Date.now());
  source = new ClaudeSource(join(demo, '.claude'), () => clock.now(), {}, state);
  await source.load();
  engine = new AlertEngine(source, clock, DEFAULT_THRESHOLDS);
  engine.start();
  d = drive(React.createElement(App, {
    size: { columns: 150, rows: 45 }, source, alerts: engine, clock, thresholds: DEFAULT_THRESHOLDS, initialTeam: 'session-1a2b3c4d',
    writerFor: (id: string) => source.writer(id),
  }));
  await d.waitFor((f) => f.includes('1 Teammates'));
});
afterEach(async () => {
  d.unmount();
  engine.stop();
  await source.close();
  removeDir(demo);
  removeDir(state);
});

describe('a session team in the TUI', () => {
  it('the header names the project; empty sessions fold into a count until e shows them', async () => {
    const f = d.lastFrame();
    expect(f).toMatch(/session-1a2b3c4d \[3\/3\] \+2 hidden \(e\) · \/home\/dev\/billing-api, started \d\d:\d\d/);
    const shown = await d.press('e', (x) => x.includes('[1/5]'));
    expect(shown).not.toContain('hidden (e)');
    await d.press(']', (x) => x.includes('proxy-analysis [2/5]'));
  });

  it('the Tasks pane says why there are no tasks, and the Alerts pane does not claim all clear', async () => {
    const f = d.lastFrame();
    expect(f).toContain('no task files (Claude Code 2.1.233+ turns its task tools off');
    // Wrapped to the pane, not cut: it ends with how to turn them on.
    expect(f).toContain('CLAUDE_CODE_ENABLE_TODO_TOOLS=1 turns them on)');
    expect(f).toContain('Task checks (cycles, deadlock, stuck and stale tasks) cannot run for this team.');
    expect(f).toContain('awaiting-approval');
    expect(f).toMatch(/test\.runner .* 96% █{5}/);
    expect(f).toMatch(/api-writer .* 40% █{2}░{3} +Bash npm run migrate/);
  });

  it('a teammate\'s detail names its liveness signal and its transcript, with how it was matched', async () => {
    await d.press('/', (x) => x.includes('/▏'));
    d.send('db-mig');
    await d.press(KEYS.enter, (x) => x.includes('/db-mig'));
    const f = await d.press(KEYS.enter, (x) => x.includes('Teammate db-migrator'));
    expect(f).toMatch(/alive: unknown — (tmux not reachable|no pane)/);
    expect(f).toMatch(/transcript: .*d7e1b0a2-4c3f-4e8a-9b61-5f2c7a9d0e34\.jsonl \(matched by session id\)/);
    expect(f).toContain('model: claude-sonnet-4-6');
    expect(f).toMatch(/tokens so far: \d+/);
  });

  it('a stray inbox shows as stray in the mailbox', async () => {
    await d.press('3', (x) => x.includes('3 Mailbox'));
    await d.press('/', (x) => x.includes('/▏'));
    d.send('user');
    const f = await d.press(KEYS.enter, (x) => x.includes('/user'));
    expect(f).toMatch(/team-lead → user \(stray\)/);
  });
});
