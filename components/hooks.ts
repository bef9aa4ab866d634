// React hooks shared by the components: external stores read with useSyncExternalStore, so file
// I/O and detectors stay outside React.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useStdout } from 'ink';
import type { Clock } from '../src/model/clock.js';

/**
 * The clock, but re-rendering only when `visible(now)` changes: each tick recomputes the
 * time-dependent text a component shows (ages, ack states) and skips the React update — and so
 * Ink's whole-frame render — when none of it changed. `visible` must be cheap.
 */
export function useTick(clock: Clock, visible: (now: number) => string): number {
  const memo = useRef<{ sig: string; now: number } | null>(null);
  const fn = useRef(visible);
  fn.current = visible;
  const subscribe = useCallback((l: () => void) => clock.subscribe(l), [clock]);
  const get = useCallback(() => {
    const now = clock.now();
    const sig = fn.current(now);
    if (!memo.current || memo.current.sig !== sig) memo.current = { sig, now };
    return memo.current.now;
  }, [clock]);
  return useSyncExternalStore(subscribe, get);
}

export interface Size {
  columns: number;
  rows: number;
}

const sizeOf = (stdout: NodeJS.WriteStream): Size => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });

/** The terminal size, following resizes. `fixed` overrides it (tests). */
export function useTerminalSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  const [size, setSize] = useState<Size>(fixed ?? sizeOf(stdout));
  useEffect(() => {
    if (fixed) return;
    const onResize = (): void => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => { stdout.off('resize', onResize); };
  }, [stdout, fixed]);
  return fixed ?? size;
}
