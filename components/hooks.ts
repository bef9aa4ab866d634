// React hooks shared by the components: external stores read with useSyncExternalStore, so file
// I/O and detectors stay outside React.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useStdout } from 'ink';
import type { Clock } from '../src/tui/clock.js';

export function useNow(clock: Clock): number {
  return useSyncExternalStore(clock.subscribe.bind(clock), () => clock.now());
}

export interface Size {
  columns: number;
  rows: number;
}

/** The terminal size, following resizes. `fixed` overrides it (tests). */
export function useTerminalSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  const read = (): Size => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState<Size>(fixed ?? read());
  useEffect(() => {
    if (fixed) return;
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    return () => { stdout.off('resize', onResize); };
  }, [stdout, fixed]);
  return fixed ?? size;
}
