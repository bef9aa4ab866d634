// The watch queue under chokidar: chokidar drops a change that follows another on the same path
// within 50 ms, with no trailing event. The queue must still read the second change at once (from
// the raw fs.watch event), not only when its settle re-read comes round.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WatchQueue } from '../src/sources/watch-queue.js';
import { backgroundTurn } from '../src/sources/foreground.js';

const dirs: string[] = [];
const queues: WatchQueue[] = [];
afterEach(async () => {
  for (const q of queues.splice(0)) await q.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Resolves when `cond` holds (checked after every read), or rejects after `ms`. */
function until(reads: { onRead?: () => void }, cond: () => boolean, ms: number, what: string): Promise<void> {
  const before = reads.onRead;
  return new Promise((resolve, reject) => {
    if (cond()) { resolve(); return; }
    const timer = setTimeout(() => reject(new Error(`not seen within ${ms} ms: ${what}`)), ms);
    reads.onRead = () => {
      before?.();
      if (cond()) { clearTimeout(timer); reads.onRead = before; resolve(); }
    };
  });
}

interface Recorder {
  batches: string[][];
  onRead?: () => void;
}

async function startQueue(root: string, rec: Recorder, settleMs?: number): Promise<WatchQueue> {
  const q = new WatchQueue({
    root, depth: 2, ignored: () => false,
    handle: async (rels) => {
      rec.batches.push(rels);
      rec.onRead?.();
      return true;
    },
    changed: () => undefined,
    error: (e) => { throw e; },
    ...(settleMs !== undefined ? { settleMs } : {}),
  });
  queues.push(q);
  await q.start();
  return q;
}

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'teamtop-wq-'));
  dirs.push(root);
  return root;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WatchQueue', () => {
  it('reads a change chokidar throttled away without waiting for the settle re-read', async () => {
    const root = tempRoot();
    const file = join(root, 'mailbox.jsonl');
    writeFileSync(file, '');
    let seen = '';
    const rec: Recorder = { batches: [] };
    rec.onRead = () => { if (rec.batches.at(-1)!.includes('mailbox.jsonl')) seen = readFileSync(file, 'utf8'); };
    // The settle re-read far beyond the test's wait: a change seen only through it fails the test.
    await startQueue(root, rec, 60_000);
    appendFileSync(file, 'first\n');
    await until(rec, () => seen.includes('first'), 10_000, 'the first append');
    // Within chokidar's 50 ms throttle of the first change event.
    appendFileSync(file, 'second\n');
    await until(rec, () => seen.includes('second'), 10_000, 'the second append, inside the throttle window');
    expect(seen).toBe('first\nsecond\n');
  });

  it('a file changing in a new directory does not keep the directory queued', async () => {
    const root = tempRoot();
    const rec: Recorder = { batches: [] };
    await startQueue(root, rec);
    mkdirSync(join(root, 'team2'));
    const file = join(root, 'team2', 'mailbox.jsonl');
    writeFileSync(file, '');
    for (let i = 0; i < 30; i++) {
      appendFileSync(file, `line ${i}\n`);
      await sleep(15);
    }
    await sleep(300);
    const withDir = rec.batches.filter((b) => b.includes('team2')).length;
    const withFile = rec.batches.filter((b) => b.includes('team2/mailbox.jsonl')).length;
    expect(withFile).toBeGreaterThan(2);
    // Its own event and its settle re-read (a raw event about a file in it queues the file).
    expect(withDir).toBeLessThanOrEqual(3);
  });

  it('a file written in a tight loop is not read once per write', async () => {
    const root = tempRoot();
    const file = join(root, 'mailbox.jsonl');
    writeFileSync(file, '');
    const rec: Recorder = { batches: [] };
    await startQueue(root, rec);
    appendFileSync(file, 'start\n');
    await until(rec, () => rec.batches.some((b) => b.includes('mailbox.jsonl')), 10_000, 'the first append');
    const t0 = performance.now();
    const writes = 150;
    for (let i = 0; i < writes; i++) {
      appendFileSync(file, `line ${i}\n`);
      await sleep(1);
    }
    const took = performance.now() - t0;
    await sleep(300);
    const reads = rec.batches.filter((b) => b.includes('mailbox.jsonl')).length;
    // One read per 25 ms of raw events, one per chokidar event (at most one per 50 ms), the
    // settle re-read, and the first: far fewer than one per write however slow the machine.
    expect(reads).toBeLessThanOrEqual(Math.ceil(took / 25) + Math.ceil(took / 50) + 4);
    expect(reads).toBeLessThan(writes / 2);
  });

  it('holds background passes while it reads a change', async () => {
    const root = tempRoot();
    const file = join(root, 'mailbox.jsonl');
    writeFileSync(file, '');
    let passedDuringRead: boolean | null = null;
    let pass: Promise<void> | null = null;
    const rec: Recorder = { batches: [] };
    const q = new WatchQueue({
      root, depth: 2, ignored: () => false,
      handle: async () => {
        if (!pass) {
          let passed = false;
          pass = backgroundTurn().then(() => { passed = true; });
          for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
          passedDuringRead = passed;
        }
        rec.batches.push([]);
        rec.onRead?.();
        return false;
      },
      changed: () => undefined,
      error: (e) => { throw e; },
    });
    queues.push(q);
    await q.start();
    appendFileSync(file, 'x\n');
    await until(rec, () => rec.batches.length > 0, 10_000, 'the read');
    expect(passedDuringRead).toBe(false);
    await pass; // released once the read is done
  });
});
