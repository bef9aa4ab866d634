// Foreground first: while the watch queue reads a change and the snapshot it makes goes out,
// background passes (indexing a large mailbox) hold off between their chunks, so a new line in
// one team is not read between another team's parsing chunks, one await at a time. A pass never
// waits longer than MAX_HOLD_MS at a time: it always makes progress, whatever the foreground does.

const MAX_HOLD_MS = 50;

let busy = 0;
let waiting: Array<() => void> = [];

/** Marks foreground work as started; the returned function ends it (once). */
export function foregroundStart(): () => void {
  busy++;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    busy--;
    if (busy === 0) {
      const resume = waiting;
      waiting = [];
      for (const r of resume) r();
    }
  };
}

/** For a background pass between chunks: resolves on the next turn when the foreground is idle, else when it is (at most MAX_HOLD_MS). */
export function backgroundTurn(): Promise<void> {
  if (busy === 0) return new Promise((r) => setImmediate(r));
  return new Promise((resolve) => {
    const timer = setTimeout(go, MAX_HOLD_MS);
    function go(): void {
      clearTimeout(timer);
      waiting = waiting.filter((w) => w !== go);
      resolve();
    }
    waiting.push(go);
  });
}
