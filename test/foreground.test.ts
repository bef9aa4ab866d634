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

describe('Emitter', () => {
  it('emits the first change on the next turn and throttles the one right after it', async () => {
    const e = new Emitter(10_000);
    let emits = 0;
    e.subscribe(() => { emits++; });
    e.schedule();
    await turns(2);
    expect(emits).toBe(1);
    e.schedule();
    await turns(5);
    expect(emits).toBe(1);
    e.close();
  });

  it('a background pass\'s progress does not hold back the change that follows it', async () => {
    const e = new Emitter(10_000);
    let emits = 0;
    e.subscribe(() => { emits++; });
    e.schedule(true);
    await turns(2);
    expect(emits).toBe(1);
    e.schedule();
    await turns(2);
    expect(emits).toBe(2);
    // …but that change counts: the next is throttled.
    e.schedule();
    await turns(5);
    expect(emits).toBe(2);
    e.close();
  });

  it('progress sends a waiting change at once, and it counts', async () => {
    const e = new Emitter(10_000);
    let emits = 0;
    e.subscribe(() => { emits++; });
    e.schedule();
    await turns(2);
    e.schedule(); // waits for the interval
    e.schedule(true); // progress: goes out now, with the waiting change
    await turns(2);
    expect(emits).toBe(2);
    e.schedule();
    await turns(5);
    expect(emits).toBe(2);
    e.close();
  });
});
