// Fixed-width columns measured in terminal cells (string-width), so rows never wrap and wide
// characters never misalign a table. Every cell goes through sanitize() first.
import stringWidth from 'string-width';
import { sanitize } from '../safety/sanitize.js';

export interface Column {
  id: string;
  title: string;
  /**
   * The width without content to measure; with content, the least a flexible column gets (a
   * content-sized one is as wide as its widest cell or title, down to this when space is short).
   */
  min: number;
  /** Share of the spare width (0 = sized from its content, up to `max`). */
  flex?: number;
  /** The most a content-sized column takes (its longer cells are cut with …). */
  max?: number;
  align?: 'left' | 'right';
  /** Columns with a higher number are dropped first when the pane is too narrow. */
  drop?: number;
}

export interface Segment {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

/**
 * Widths for the columns that fit in `total` cells (one space between columns). With `content`
 * (each column's widest cell on screen), a column with no flex is as wide as its content and
 * title (capped at its `max`), and the spare goes to the flexible columns (the text ones):
 * short ids no longer take the room a summary needs, and no value is cut while there is room.
 */
export function fitColumns(cols: readonly Column[], total: number, content?: Readonly<Record<string, number>>): Array<{ col: Column; width: number }> {
  if (content) cols = cols.map((c) => sized(c, content[c.id] ?? 0));
  let kept = [...cols];
  const need = (cs: Column[]): number => cs.reduce((n, c) => n + c.min, 0) + Math.max(0, cs.length - 1);
  while (kept.length > 1 && need(kept) > total) {
    const worst = kept.reduce((a, c) => ((c.drop ?? 0) > (a.drop ?? 0) ? c : a), kept[0]!);
    if ((worst.drop ?? 0) === 0) break;
    kept = kept.filter((c) => c !== worst);
  }
  const spare = Math.max(0, total - need(kept));
  const flexSum = kept.reduce((n, c) => n + (c.flex ?? 0), 0);
  const widths = kept.map((c) => ({ col: c, width: c.min + (flexSum > 0 ? Math.floor((spare * (c.flex ?? 0)) / flexSum) : 0) }));
  // Give rounding leftovers to the last flexible column.
  const used = widths.reduce((n, w) => n + w.width, 0) + Math.max(0, widths.length - 1);
  const lastFlex = [...widths].reverse().find((w) => (w.col.flex ?? 0) > 0);
  if (lastFlex && used < total) lastFlex.width += total - used;
  // Still too wide (a very narrow pane): shrink from the right.
  let over = widths.reduce((n, w) => n + w.width, 0) + Math.max(0, widths.length - 1) - total;
  for (let i = widths.length - 1; i >= 0 && over > 0; i--) {
    const cut = Math.min(over, widths[i]!.width - 1);
    widths[i]!.width -= cut;
    over -= cut;
  }
  return widths;
}

/** A column with its width from the content: a fixed column takes its content's width (title included, up to max). */
function sized(c: Column, widest: number): Column {
  if ((c.flex ?? 0) > 0) return c;
  const want = Math.max(cellWidth(c.title), widest);
  return { ...c, min: Math.min(want, c.max ?? Number.MAX_SAFE_INTEGER) };
}

/** The widest cell of each column among `rows` (cells as the pane builds them). */
export function contentWidths(rows: ReadonlyArray<Record<string, string | Segment>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    for (const [id, c] of Object.entries(r)) {
      const w = cellWidth(sanitize(typeof c === 'string' ? c : c.text));
      if (w > (out[id] ?? 0)) out[id] = w;
    }
  }
  return out;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Printable ASCII plus the single-width symbols teamtop draws itself (one UTF-16 unit each). */
const NARROW = /^[\x20-\x7e→▸█░…─✓●▲▼◆│␛⚠≥]*$/;

/** Terminal cells a (sanitized) string takes; common text skips the grapheme segmenter. */
export function cellWidth(s: string): number {
  return NARROW.test(s) ? s.length : stringWidth(s);
}

/** Truncates (with …) or pads text to exactly `width` cells. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  let s = sanitize(text);
  // Long payloads: measure only what can possibly show — cut between code points (half a
  // surrogate pair is measured as nothing and drawn as one column), and say it was cut.
  const long = s.length > width * 4 + 8;
  if (long) s = s.slice(0, /[\ud800-\udbff]/.test(s.charAt(width * 4 + 7)) ? width * 4 + 7 : width * 4 + 8);
  let w = cellWidth(s);
  if (w > width || long) {
    if (PRINTABLE_ASCII.test(s)) {
      return s.slice(0, width - 1) + '…';
    }
    let out = '';
    let ow = 0;
    for (const ch of s) {
      const cw = stringWidth(ch);
      if (ow + cw > width - 1) break;
      out += ch;
      ow += cw;
    }
    s = out + '…';
    w = ow + 1;
  }
  const pad = ' '.repeat(Math.max(0, width - w));
  return align === 'right' ? pad + s : s + pad;
}

export function displayWidth(s: string): number {
  return cellWidth(s);
}

/** One table row: cells fitted to their columns, joined with single spaces. */
export function rowSegments(
  widths: ReadonlyArray<{ col: Column; width: number }>,
  cells: Record<string, string | Segment>,
): Segment[] {
  const out: Segment[] = [];
  widths.forEach(({ col, width }, i) => {
    if (i > 0) out.push({ text: ' ' });
    const c = cells[col.id] ?? '';
    const seg: Segment = typeof c === 'string' ? { text: c } : { ...c };
    seg.text = fit(seg.text, width, col.align);
    out.push(seg);
  });
  return out;
}

export function headerSegments(widths: ReadonlyArray<{ col: Column; width: number }>): Segment[] {
  return rowSegments(widths, Object.fromEntries(widths.map(({ col }) => [col.id, col.title]))).map((s) => ({ ...s, dim: true, bold: true }));
}

/**
 * Wraps one line to `width` cells, breaking at spaces where it can and hard-breaking long words.
 * Continuation lines keep the first line's indentation.
 */
export function wrapLine(text: string, width: number, hang?: number): string[] {
  if (width <= 1 || stringWidth(text) <= width) return [text];
  // Continuation lines start under the first line's text, or at `hang` (a column of the first line).
  const indent = hang !== undefined ? ' '.repeat(Math.max(0, Math.min(hang, width - 24))) : /^\s*/.exec(text)![0].slice(0, Math.floor(width / 2));
  const out: string[] = [];
  let line = '';
  let lw = 0;
  const push = (): void => {
    out.push(line.replace(/\s+$/, ''));
    line = indent;
    lw = stringWidth(indent);
  };
  for (const word of text.split(/(\s+)/)) {
    if (word === '') continue;
    const ww = stringWidth(word);
    if (lw + ww <= width) { line += word; lw += ww; continue; }
    if (/^\s+$/.test(word)) { push(); continue; }
    if (lw > stringWidth(indent)) push();
    for (const ch of word) {
      const cw = stringWidth(ch);
      if (lw + cw > width) push();
      line += ch;
      lw += cw;
    }
  }
  if (line.trim() !== '') out.push(line);
  return out;
}
