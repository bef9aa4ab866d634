// A large mailbox is indexed in the background: lines appended meanwhile show at once, in order,
// and are indexed with the rest when the pass reaches them; the pass keeps no window of parsed
// messages (it reads the last ones back by offset when it is done).
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, createWriteStream, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MailboxLog, TAIL_FIRST_BYTES, WINDOW } from '../src/sources/native/mailbox-log.js';
import { tempDir, removeDir } from './helpers/state.js';
import { NativeSource } from '../src/sources/native/source.js';
import type { TeamSnapshot } from '../src/model/snapshot.js';

let dir: string | null = null;
afterEach(() => { if (dir) removeDir(dir); dir = null; });

const line = (seq: number, payload: string): string =>
  JSON.stringify({ sequence: seq, timestamp: new Date(Date.UTC(2026, 10, 1) + seq * 1000).toISOString(), from: 'tm_a', to: 'lead', type: 'message', payload }) + '\n';

/** A mailbox just over the size that is indexed in the background. */
async function largeMailbox(size = TAIL_FIRST_BYTES + 64 * 1024): Promise<{ path: string; n: number }> {
  dir = tempDir();
  const path = join(dir, 'mailbox.jsonl');
  const out = createWriteStream(path);
  let n = 0;
  let bytes = 0;
  while (bytes <= size) {
    const l = line(++n, `message ${n} ${'x'.repeat(120)}`);
    bytes += Buffer.byteLength(l);
    if (!out.write(l)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return { path, n };
}

describe('a large mailbox while it is indexed', () => {
  it('shows a line appended during the pass at once, and indexes it in order when the pass gets there', async () => {
    const { path, n } = await largeMailbox();
    expect(statSync(path).size).toBeGreaterThan(TAIL_FIRST_BYTES);
    const log = new MailboxLog(path);
    const started = await log.startTailFirst(() => undefined);
    expect(started).not.toBeNull();
    expect(log.view().indexing).toBe(true);
    expect(log.view().recent.at(-1)!.sequence).toBe(n);

    appendFileSync(path, line(n + 1, 'appended while indexing'));
    expect(await log.poll()).toBe(true);
    const during = log.view();
    expect(during.indexing).toBe(true);
    expect(during.recent.at(-1)).toMatchObject({ sequence: n + 1, payload: 'appended while indexing' });
    expect(during.recent.at(-2)!.sequence).toBe(n);

    await started!.pass;
    const after = log.view();
    expect(after.indexing).toBe(false);
    expect(after.aggregates.total).toBe(n + 1);
    expect(after.aggregates.maxSequence).toBe(n + 1);
    expect(after.aggregates.gaps).toEqual([]);
    expect(after.recent).toHaveLength(WINDOW);
    expect(after.recent.at(-1)).toMatchObject({ sequence: n + 1, payload: 'appended while indexing' });
    expect(after.recent.map((m) => m.sequence)).toEqual(Array.from({ length: WINDOW }, (_, i) => n + 2 - WINDOW + i));
    // Scrolling back by offset reads the same messages from disk.
    expect((await log.readRange(0, 2)).map((m) => m.sequence)).toEqual([1, 2]);

    // And the ordinary tail goes on after the pass.
    appendFileSync(path, line(n + 2, 'after'));
    expect(await log.poll()).toBe(true);
    expect(log.view().recent.at(-1)).toMatchObject({ sequence: n + 2 });
    expect(log.view().aggregates.total).toBe(n + 2);
  });

  it('a line appended after the pass caught up but before it finished is not lost', async () => {
    const { path, n } = await largeMailbox();
    const size = statSync(path).size;
    const log = new MailboxLog(path);
    const started = await log.startTailFirst(() => undefined);
    // Wait until the pass has read the whole file, then append while it is still finishing (it
    // reads the last window back from disk): the watcher's poll goes to the live reader.
    while (log.byteOffset < size) await new Promise((r) => setImmediate(r));
    expect(log.view().indexing).toBe(true);
    appendFileSync(path, line(n + 1, 'late'));
    await log.poll();
    await started!.pass;
    expect(log.view().aggregates.total).toBe(n + 1);
    expect(log.view().recent.at(-1)).toMatchObject({ sequence: n + 1, payload: 'late' });
  });

  /** A root with team `big` (a two-line mailbox) watched by a background-indexing source. */
  async function watchedBig(): Promise<{ root: string; source: NativeSource; big: () => TeamSnapshot; until: (cond: () => boolean, what: string) => Promise<void> }> {
    const root = join(dir!, 'root');
    mkdirSync(join(root, 'big'), { recursive: true });
    writeFileSync(join(root, 'big', 'teammates.json'), '[]');
    writeFileSync(join(root, 'big', 'mailbox.jsonl'), line(1, 'old one') + line(2, 'old two'));
    const source = new NativeSource(root, Date.now, { background: true });
    await source.load();
    await source.watch();
    const big = (): TeamSnapshot => source.getSnapshot().teams.find((t) => t.id === 'big')!;
    const until = (cond: () => boolean, what: string): Promise<void> => new Promise((resolve, reject) => {
      const timer = setTimeout(() => { off(); reject(new Error(`not seen: ${what}`)); }, 20_000);
      const check = (): void => { if (cond()) { clearTimeout(timer); off(); resolve(); } };
      const off = source.subscribe(check);
      check();
    });
    return { root, source, big, until };
  }

  it('a large file renamed over a small mailbox is indexed in the background, its tail shown at once', async () => {
    const { path: large, n } = await largeMailbox();
    const { root, source, big, until } = await watchedBig();
    try {
      expect(big().mailbox.aggregates.total).toBe(2);
      // Log rotation, or a copy renamed into place: another file, large, under the same name.
      renameSync(large, join(root, 'big', 'mailbox.jsonl'));
      await until(() => big().mailbox.indexing, 'indexing in the background');
      // Its newest messages show while the pass runs; the old file's are gone.
      expect(big().mailbox.recent.at(-1)!.sequence).toBe(n);
      expect(big().mailbox.recent.some((m) => m.payload === 'old two')).toBe(false);
      await until(() => !big().mailbox.indexing && big().mailbox.aggregates.total === n, 'the pass done');
      expect(big().mailbox.recentStart + big().mailbox.recent.length).toBe(n);
    } finally {
      await source.close();
    }
  });

  it('a mailbox removed while it is indexed ends the pass without an error escaping', async () => {
    // Large enough that the pass is still reading (from its open file) when the name goes.
    const { path: large } = await largeMailbox(6 * TAIL_FIRST_BYTES);
    const { root, source, big, until } = await watchedBig();
    try {
      renameSync(large, join(root, 'big', 'mailbox.jsonl'));
      await until(() => big().mailbox.indexing, 'indexing in the background');
      await until(() => big().mailbox.progress > 0, 'the pass under way');
      unlinkSync(join(root, 'big', 'mailbox.jsonl'));
      // (An unhandled rejection from the pass would fail this test file.)
      await until(() => !big().mailbox.indexing && big().mailbox.aggregates.total === 0, 'the pass over, nothing left');
    } finally {
      await source.close();
    }
  });

  it('a burst larger than a first look (a file copied in place) is indexed in the background, from where reading stopped', async () => {
    dir = tempDir();
    const { root, source, big, until } = await watchedBig();
    try {
      let burst = '';
      let n = 0;
      while (burst.length <= TAIL_FIRST_BYTES + 64 * 1024) burst += line(3 + n++, `burst ${n} ${'y'.repeat(120)}`);
      appendFileSync(join(root, 'big', 'mailbox.jsonl'), burst);
      await until(() => big().mailbox.indexing, 'indexing in the background');
      await until(() => !big().mailbox.indexing && big().mailbox.aggregates.total === 2 + n, 'the pass done');
      // The two read before and the burst, in order, none twice.
      const m = big().mailbox;
      expect(m.aggregates.duplicates).toBe(0);
      expect(m.recent.at(-1)!.sequence).toBe(2 + n);
      expect(m.recentStart + m.recent.length).toBe(2 + n);
    } finally {
      await source.close();
    }
  });
});
