// TEAMTOP_TRACE=FILE: one line per step of an update (`<step> <epoch ms> [detail]`), for the bench
// and for finding where the time between a file change and a frame goes. Off by default: one
// environment lookup at load, then a no-op.
import { appendFileSync } from 'node:fs';

const file = process.env.TEAMTOP_TRACE;

export const tracing = file !== undefined && file !== '';

/** Appends `<step> <epoch ms> [detail]` to the trace file, when tracing. */
export function trace(step: string, detail?: string | number): void {
  if (!tracing) return;
  const line = `${step} ${performance.timeOrigin + performance.now()}${detail === undefined ? '' : ` ${detail}`}\n`;
  try {
    appendFileSync(file!, line);
  } catch {
    // A trace that cannot be written is no reason to stop.
  }
}
