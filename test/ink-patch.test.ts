// The patch to Ink (patches/ink+6.8.0.patch, docs/ink-patch.md) is applied and does what it says:
// the output caches outlive a frame and stay bounded, and a full-screen frame with
// incrementalRendering rewrites only its changed lines instead of clearing the screen.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import React from 'react';

const inkFile = (f: string): string => pathToFileURL(join(process.cwd(), 'node_modules', 'ink', 'build', f)).href;

describe('the patch to Ink', () => {
  it('keeps one bounded set of output caches for every frame', async () => {
    const { default: Output } = await import(inkFile('output.js')) as { default: new (o: { width: number; height: number }) => { caches: { getStyledChars(l: string): unknown; styledChars: Map<string, unknown>; widths: Map<string, number>; getStringWidth(t: string): number } } };
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
