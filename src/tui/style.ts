// Segments to one styled string per row. A row is one Ink <Text> with its colours inline, rather
// than a dozen nested nodes: far less layout and output work per frame.
import chalk, { type ChalkInstance } from 'chalk';
import type { Segment } from './columns.js';

const cache = new Map<string, ChalkInstance>();

function painter(color: string | undefined, bold?: boolean, dim?: boolean, inverse?: boolean): ChalkInstance | null {
  if (!color && !bold && !dim && !inverse) return null;
  const key = `${color}|${bold}|${dim}|${inverse}`;
  let c = cache.get(key);
  if (!c) {
    c = chalk;
    if (color) c = color.startsWith('#') ? c.hex(color) : ((c as unknown as Record<string, ChalkInstance>)[color] ?? c);
    if (bold) c = c.bold;
    if (dim) c = c.dim;
    if (inverse) c = c.inverse;
    cache.set(key, c);
  }
  return c;
}

export function styleSegments(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    const p = painter(s.color, s.bold, s.dim, s.inverse);
    out += p ? p(s.text) : s.text;
  }
  return out;
}
