// The watch queue under chokidar: chokidar drops a change that follows another on the same path
// within 50 ms, with no trailing event. The queue must still read the second change at once (from
// the raw fs.watch event), not only when its settle re-read comes round.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WatchQueue } from '../src/sources/watch-queue.js';

const dirs: string[] = [];
const queues: WatchQueue[] = [];
afterEach(async () => {
  for (const q of queues.splice(0)) await q.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Resolves when `cond` holds (checked after every read), or rejects after `ms`. */
function until(reads: { onRead?: () => void }, cond: () => boolean, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (cond()) { resolve(); return; }
    const timer = setTimeout(() => reject(new Error(`not seen within ${ms} ms: ${what}`)), ms);
    reads.onRead = () => { if (cond()) { clearTimeout(timer); resolve(); } };
  });
}

describe('WatchQueue', () => {
  it('reads a change chokidar throttled away without waiting for the settle re-read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'teamtop-wq-'));
    dirs.push(root);
    const file = join(root, 'mailbox.jsonl');
    writeFileSync(file, '');
    let seen = '';
    const reads: { onRead?: () => void } = {};
    const q = new WatchQueue({
      root, depth: 2, ignored: () => false,
      handle: async (rels) => {
        if (rels.includes('mailbox.jsonl')) seen = readFileSync(file, 'utf8');
        reads.onRead?.();
        return true;
      },
      changed: () => undefined,
      error: (e) => { throw e; },
      // Far beyond the test's wait: a change seen only through the settle re-read fails the test.
      settleMs: 60_000,
    });
    queues.push(q);
    await q.start();
    appendFileSync(file, 'first\n');
    await until(reads, () => seen.includes('first'), 10_000, 'the first append');
    // Within chokidar's 50 ms throttle of the first change event.
    appendFileSync(file, 'second\n');
    await until(reads, () => seen.includes('second'), 10_000, 'the second append, inside the throttle window');
    expect(seen).toBe('first\nsecond\n');
  });
});
