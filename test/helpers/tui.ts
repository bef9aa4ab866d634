// Drives an Ink tree in ink-testing-library and waits for frames instead of sleeping.
import type React from 'react';
import { render } from 'ink-testing-library';

export const KEYS = {
  tab: '\t', shiftTab: '\u001b[Z', enter: '\r', escape: '\u001b', up: '\u001b[A', down: '\u001b[B',
  ctrlC: '\u0003', backspace: '\u007f',
} as const;

export interface Driver {
  lastFrame(): string;
  /** Resolves with the first frame (the current one included) that satisfies `pred`. */
  waitFor(pred: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Types input, then waits for a frame that satisfies `pred`. */
  press(input: string, pred: (frame: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Types input without waiting (keys are reduced in order; wait with a later press/waitFor). */
  send(input: string): void;
  frameCount(): number;
  /** Every frame written so far, oldest first (stdout), for assertions over the whole session. */
  allFrames(): string[];
  /** Everything Ink wrote to stderr so far. */
  errorFrames(): string[];
  unmount(): void;
}

export function drive(tree: React.ReactElement): Driver {
  const r = render(tree);
  const waiters = new Set<() => void>();
  const write = r.stdout.write;
  r.stdout.write = (frame: string) => {
    write(frame);
    for (const w of [...waiters]) w();
  };
  const lastFrame = (): string => r.lastFrame() ?? '';
  const waitFor = (pred: (f: string) => boolean, timeoutMs = 4000): Promise<string> =>
    new Promise((resolve, reject) => {
      if (pred(lastFrame())) { resolve(lastFrame()); return; }
      const check = (): void => {
        if (pred(lastFrame())) { cleanup(); resolve(lastFrame()); }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no matching frame within ${timeoutMs} ms; last frame:\n${lastFrame()}`));
      }, timeoutMs);
      const cleanup = (): void => { clearTimeout(timer); waiters.delete(check); };
      waiters.add(check);
    });
  return {
    lastFrame,
    waitFor,
    press: (input, pred, timeoutMs) => {
      r.stdin.write(input);
      return waitFor(pred, timeoutMs);
    },
    send: (input) => { r.stdin.write(input); },
    frameCount: () => r.frames.length,
    allFrames: () => [...r.frames],
    errorFrames: () => [...r.stderr.frames],
    unmount: () => r.unmount(),
  };
}
