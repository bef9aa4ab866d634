// Foreground first: a background pass waits between chunks while a change is read, and its
// progress never holds back the snapshot of a change. Turn-based checks (no timed assertions).
import { describe, expect, it } from 'vitest';
import { backgroundTurn, foregroundStart } from '../src/sources/foreground.js';
import { Emitter } from '../src/sources/source.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await turn();
}

describe('the foreground gate', () => {
  it('lets a background pass go on at once while nothing is read', async () => {
    let passed = false;
    void backgroundTurn().then(() => { passed = true; });
    await turns(2);
    expect(passed).toBe(true);
  });

  it('holds a background pass while a change is read, and releases it when the read ends', async () => {
    const end = foregroundStart();
    let passed = false;
    void backgroundTurn().then(() => { passed = true; });
    await turns(5);
    expect(passed).toBe(false);
    end();
    end(); // ending twice is ending once
    await turns(2);
    expect(passed).toBe(true);
  });

  it('waits for every read in progress', async () => {
    const a = foregroundStart();
    const b = foregroundStart();
    let passed = false;
    void backgroundTurn().then(() => { passed = true; });
    a();
    await turns(3);
    expect(passed).toBe(false);
    b();
    await turns(2);
    expect(passed).toBe(true);
  });

  it('never holds a pass for good: a read that does not end releases it after a while', async () => {
    const end = foregroundStart();
    try {
      await backgroundTurn(); // resolves (MAX_HOLD_MS), or the test times out
    } finally {
      end();
    }
  });
});

/** An emitter whose interval no test waits out, and a count of its emits. */
function counted(): { e: Emitter; emits: () => number } {
  const e = new Emitter(10_000);
  let n = 0;
  e.subscribe(() => { n++; });
  return { e, emits: () => n };
}

/** The change after the last emit is held for the interval: still `n` emits a few turns on. */
async function nextIsThrottled(e: Emitter, emits: () => number, n: number): Promise<void> {
  e.schedule();
  await turns(5);
  expect(emits()).toBe(n);
  e.close();
}

describe('Emitter', () => {
  it('emits the first change on the next turn and throttles the one right after it', async () => {
    const { e, emits } = counted();
    e.schedule();
    await turns(2);
    expect(emits()).toBe(1);
    await nextIsThrottled(e, emits, 1);
  });

  it('a background pass\'s progress does not hold back the change that follows it, which counts', async () => {
    const { e, emits } = counted();
    e.schedule(true);
    await turns(2);
    e.schedule();
    await turns(2);
    expect(emits()).toBe(2);
    await nextIsThrottled(e, emits, 2);
  });

  it('progress sends a waiting change at once, and it counts', async () => {
    const { e, emits } = counted();
    e.schedule();
    await turns(2);
    e.schedule(); // waits for the interval
    e.schedule(true); // progress: goes out now, with the waiting change
    await turns(2);
    expect(emits()).toBe(2);
    await nextIsThrottled(e, emits, 2);
  });
});
