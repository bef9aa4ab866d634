// The patch to Ink (patches/ink+6.8.0.patch, docs/ink-patch.md) is applied and does what it says:
// the output caches outlive a frame and stay bounded, and a full-screen frame with
// incrementalRendering rewrites only its changed lines instead of clearing the screen; a pasted
// escape sequence the key parser does not name does not crash the input handler.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import React from 'react';

const inkFile = (f: string): string => pathToFileURL(join(process.cwd(), 'node_modules', 'ink', 'build', f)).href;

interface OutputClass {
  new (o: { width: number; height: number }): { caches: { getStyledChars(l: string): unknown; styledChars: { size: number }; widths: { size: number }; getStringWidth(t: string): number } };
  startFrame(): void;
}

describe('the patch to Ink', () => {
  it('keeps one bounded set of output caches for every frame', async () => {
    const { default: Output } = await import(inkFile('output.js')) as { default: OutputClass };
    const a = new Output({ width: 10, height: 2 });
    const b = new Output({ width: 10, height: 2 });
    expect(a.caches).toBe(b.caches);
    for (let i = 0; i < 25_000; i++) {
      a.caches.getStyledChars(`line ${i}`);
      a.caches.getStringWidth(`text ${i}`);
    }
    expect(a.caches.styledChars.size).toBeLessThanOrEqual(20_000);
    expect(a.caches.widths.size).toBeLessThanOrEqual(20_000);
  });

  it('holds the styled lines of the last two frames only, and keeps a line in use across frames', async () => {
    const { default: Output } = await import(inkFile('output.js')) as { default: OutputClass };
    const caches = new Output({ width: 10, height: 2 }).caches;
    Output.startFrame();
    const kept = caches.getStyledChars('a line on every frame');
    for (let frame = 0; frame < 50; frame++) {
      Output.startFrame();
      expect(caches.getStyledChars('a line on every frame')).toBe(kept);
      for (let i = 0; i < 100; i++) caches.getStyledChars(`frame ${frame} line ${i}`);
    }
    // This frame's and the last one's lines: 2 x 100 + the one in use, not 50 frames' worth.
    expect(caches.styledChars.size).toBeLessThanOrEqual(201);
  });

  it('keeps texts in use in its measuring caches however many others pass through', async () => {
    const { default: BoundedCache } = await import(inkFile('bounded-cache.js')) as { default: new (limit: number) => { get(k: string): unknown; set(k: string, v: unknown): void; size: number } };
    const cache = new BoundedCache(100);
    const hot = { width: 5 };
    cache.set('hot', hot);
    for (let i = 0; i < 10_000; i++) {
      cache.set(`cold ${i}`, { width: i });
      if (i % 50 === 0) expect(cache.get('hot')).toBe(hot);
    }
    expect(cache.size).toBeLessThanOrEqual(200);
    expect(cache.get('cold 9999')).toEqual({ width: 9999 });
    expect(cache.get('cold 0')).toBeUndefined();
  });

  it('writes only the changed line of a frame as tall as the terminal, and never clears the screen', async () => {
    // Ink writes no frames at all when it believes it runs in CI (decided when it loads).
    const saved = Object.fromEntries(Object.entries(process.env).filter(([k]) => k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')));
    for (const k of Object.keys(saved)) delete process.env[k];
    let ink: typeof import('ink');
    try {
      ink = await import('ink');
    } finally {
      Object.assign(process.env, saved);
    }
    const writes: string[] = [];
    const stdout = Object.assign(new EventEmitter(), {
      columns: 20, rows: 4, isTTY: true,
      write: (s: string) => { writes.push(s); return true; },
    }) as unknown as NodeJS.WriteStream;
    const Frame = ({ n }: { n: number }) => React.createElement(ink.Box, { flexDirection: 'column', height: 4 },
      ...['alpha', 'bravo', `count ${n}`, 'delta'].map((t) => React.createElement(ink.Text, { key: t.slice(0, 5) }, t)));
    const app = ink.render(React.createElement(Frame, { n: 1 }), { stdout, incrementalRendering: true, patchConsole: false, debug: false, maxFps: 1000 });
    await new Promise((r) => setTimeout(r, 20));
    writes.length = 0;
    app.rerender(React.createElement(Frame, { n: 2 }));
    await new Promise((r) => setTimeout(r, 20));
    app.unmount();
    const frame = writes.join('');
    expect(frame).toContain('count 2');
    expect(frame).not.toContain('alpha');
    expect(frame).not.toContain('\u001b[2J');
  });
});

describe('the patch to yoga-layout', () => {
  it('text written over half of a wide character takes the whole character: the row keeps its width', async () => {
    const { default: Output } = await import(inkFile('output.js')) as { default: new (o: { width: number; height: number }) => { write(x: number, y: number, t: string, o: { transformers: [] }): void; get(): { output: string } } };
    const stringWidth = (await import('string-width')).default;
    for (const [under, x, over] of [['한한한한', 1, '│'], ['👍👍👍👍', 3, '│ab'], ['ab한한', 0, 'xyz']] as const) {
      const o = new Output({ width: 8, height: 1 });
      o.write(0, 0, under, { transformers: [] });
      o.write(x, 0, over, { transformers: [] });
      const line = o.get().output.split('\n')[0]!;
      expect(stringWidth(line), `${under} with ${over} at ${x}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(8);
      expect(line).toContain(over);
    }
  });

  it('a pasted colour code (a sequence the key parser does not name) is no key, not a crash of the program', async () => {
    const { mountApp } = await import('./helpers/app.js');
    const { tempDir, removeDir, writeTeam, iso } = await import('./helpers/state.js');
    const root = tempDir('teamtop-paste-');
    writeTeam(root, 'crew', { team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(Date.now()) } }, teammates: [{ id: 'tm', last_heartbeat: iso(Date.now()) }] });
    const m = await mountApp(root, { columns: 100, rows: 30 });
    try {
      for (const seq of ['\u001b[31m', '\u001b[0m', '\u001b[5n', '\u001b[38;5;196m']) m.d.send(seq);
      await m.d.press('?', (f) => f.includes('Help'));
    } finally {
      await m.unmount();
      removeDir(root);
    }
  });

  it('decodes its embedded wasm without fetch (which would load undici at every start)', () => {
    const script = `let called = false;
globalThis.fetch = () => { called = true; return Promise.reject(new Error('no fetch here')); };
const { default: Yoga } = await import('yoga-layout');
const node = Yoga.Node.create();
node.setWidth(7);
node.calculateLayout();
console.log(JSON.stringify({ called, width: node.getComputedWidth() }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd(), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ called: false, width: 7 });
  });
});
