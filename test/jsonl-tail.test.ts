import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, writeFileSync, renameSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { JsonlTail } from '../src/sources/jsonl-tail.js';
import { tempDir, removeDir } from './helpers/state.js';

function collector() {
  const lines: Array<{ text: string; lineNo: number; offset: number }> = [];
  const oversized: number[] = [];
  let resets = 0;
  return {
    lines, oversized, get resets() { return resets; },
    sink: {
      line: (text: string, lineNo: number, offset: number) => { lines.push({ text, lineNo, offset }); },
      oversized: (lineNo: number) => { oversized.push(lineNo); },
      reset: () => { resets++; lines.length = 0; },
    },
  };
}

let dir: string;
afterEach(() => removeDir(dir));

describe('JsonlTail', () => {
  it('reads only what was appended since the last poll', async () => {
    dir = tempDir();
    const f = join(dir, 'm.jsonl');
    writeFileSync(f, '{"a":1}\n{"a":2}\n');
    const c = collector();
    const t = new JsonlTail(f, c.sink);
    await t.poll();
    expect(c.lines.map((l) => l.text)).toEqual(['{"a":1}', '{"a":2}']);
    const before = t.offset;
    appendFileSync(f, '{"a":3}\n');
    await t.poll();
    expect(c.lines.map((l) => l.lineNo)).toEqual([1, 2, 3]);
    expect(c.lines[2]!.offset).toBe(before);
    expect(t.offset).toBe(before + 8);
  });

  it('holds a partial last line until its newline arrives', async () => {
    dir = tempDir();
    const f = join(dir, 'm.jsonl');
    writeFileSync(f, '{"a":1}\n{"a":');
    const c = collector();
    const t = new JsonlTail(f, c.sink);
    await t.poll();
    expect(c.lines.map((l) => l.text)).toEqual(['{"a":1}']);
    appendFileSync(f, '2}\n');
    await t.poll();
    expect(c.lines.map((l) => l.text)).toEqual(['{"a":1}', '{"a":2}']);
    expect(c.lines[1]!.offset).toBe(8);
  });

  it('restarts from the beginning when the file shrinks', async () => {
    dir = tempDir();
    const f = join(dir, 'm.jsonl');
    writeFileSync(f, '{"a":1}\n{"a":2}\n');
    const c = collector();
    const t = new JsonlTail(f, c.sink);
    await t.poll();
    truncateSync(f, 0);
    appendFileSync(f, '{"b":1}\n');
    await t.poll();
    expect(c.resets).toBe(1);
    expect(c.lines.map((l) => l.text)).toEqual(['{"b":1}']);
  });

  it('restarts when the file is replaced by another inode', async () => {
    dir = tempDir();
    const f = join(dir, 'm.jsonl');
    writeFileSync(f, '{"a":1}\n');
    const c = collector();
    const t = new JsonlTail(f, c.sink);
    await t.poll();
    writeFileSync(join(dir, 'new'), '{"x":1}\n{"x":2}\n');
    renameSync(join(dir, 'new'), f);
    await t.poll();
    expect(c.resets).toBe(1);
    expect(c.lines.map((l) => l.text)).toEqual(['{"x":1}', '{"x":2}']);
  });

  it('skips a line over the size limit without holding it, and goes on after it', async () => {
    dir = tempDir();
    const f = join(dir, 'm.jsonl');
    writeFileSync(f, `{"a":1}\n{"big":"${'x'.repeat(5000)}"}\n{"a":3}\n`);
    const c = collector();
    const t = new JsonlTail(f, c.sink, 1024);
    await t.poll();
    expect(c.oversized).toEqual([2]);
    expect(c.lines.map((l) => l.lineNo)).toEqual([1, 3]);
  });

  it('reads lines split across chunk boundaries and multi-byte characters', async () => {
    dir = tempDir();
    const f = join(dir, 'm.jsonl');
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, s: 'é漢字'.repeat(i % 50) }));
    writeFileSync(f, lines.join('\n') + '\n');
    const c = collector();
    await new JsonlTail(f, c.sink).poll();
    expect(c.lines.map((l) => l.text)).toEqual(lines);
  });

  it('treats a missing file as empty and picks it up once created', async () => {
    dir = tempDir();
    const f = join(dir, 'm.jsonl');
    const c = collector();
    const t = new JsonlTail(f, c.sink);
    expect(await t.poll()).toBe(false);
    writeFileSync(f, '{"a":1}\n');
    expect(await t.poll()).toBe(true);
    expect(c.lines).toHaveLength(1);
  });
});
