import { describe, expect, it } from 'vitest';
import { computeLayout, HEADER_LINES, FOOTER_LINES } from '../src/tui/layout.js';
import { fit, fitColumns, wrapLine, displayWidth } from '../src/tui/columns.js';
import type { PaneId } from '../src/tui/pane-ids.js';

const heightOf = (l: ReturnType<typeof computeLayout>): number =>
  HEADER_LINES + FOOTER_LINES + l.rows.reduce((n, row) => n + Math.max(...row.map((r) => r.rows + 1)), 0);

describe('layout', () => {
  const demands: Array<Record<PaneId, number>> = [
    { teammates: 2, tasks: 2, mailbox: 2, alerts: 2 },
    { teammates: 40, tasks: 200, mailbox: 10_000, alerts: 30 },
    { teammates: 6, tasks: 8, mailbox: 19, alerts: 5 },
  ];
  it('never exceeds the terminal, for any size and content', () => {
    for (let w = 40; w <= 220; w += 20) {
      for (let h = 8; h <= 70; h += 3) {
        for (const d of demands) for (const focus of ['teammates', 'mailbox'] as PaneId[]) {
          const l = computeLayout(w, h, d, focus);
          expect(heightOf(l), `${w}x${h}`).toBeLessThanOrEqual(h);
          for (const row of l.rows) expect(row.reduce((n, r) => n + r.width, 0) + row.length - 1).toBeLessThanOrEqual(w);
        }
      }
    }
  });
  it('stacks the four panes at 80x24 and uses the whole height', () => {
    const l = computeLayout(80, 24, demands[1]!, 'teammates');
    expect(l.wide).toBe(false);
    expect(l.rows.map((r) => r[0]!.pane)).toEqual(['teammates', 'tasks', 'mailbox', 'alerts']);
    expect(heightOf(l)).toBe(24);
  });
  it('puts Teammates and Alerts side by side from 120x30', () => {
    const l = computeLayout(120, 40, demands[2]!, 'teammates');
    expect(l.wide).toBe(true);
    expect(l.rows[0]!.map((r) => r.pane)).toEqual(['teammates', 'alerts']);
  });
  it('does not pad small panes: the mailbox takes the spare rows', () => {
    const l = computeLayout(200, 60, demands[2]!, 'teammates');
    const mailbox = l.rows.flat().find((r) => r.pane === 'mailbox')!;
    expect(mailbox.rows).toBeGreaterThanOrEqual(19);
  });
  it('shows only the focused pane in a tiny terminal', () => {
    const l = computeLayout(60, 10, demands[0]!, 'tasks');
    expect(l.rows.flat().map((r) => r.pane)).toEqual(['tasks']);
  });
});

describe('columns', () => {
  it('a long cell is cut between code points and says it was cut, however many of its characters take no column', () => {
    for (const width of [10, 40, 117]) {
      // Combining marks take no column, so the cut point lands on the emoji after them: half of it must not.
      const text = `x${'\u0301'.repeat(width * 4 + 6)}😀y`;
      const out = fit(text, width);
      expect(out, `${width}`).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(out.trimEnd().endsWith('…')).toBe(true);
      expect(displayWidth(out)).toBe(width);
    }
  });

  it('fits text to an exact width, by terminal cells, with an ellipsis', () => {
    expect(fit('abc', 5)).toBe('abc  ');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('42', 4, 'right')).toBe('  42');
    expect(displayWidth(fit('漢字漢字漢字', 7))).toBe(7);
    expect(displayWidth(fit('🙂🙂🙂🙂', 5))).toBe(5);
  });
  it('drops low-priority columns before squeezing the rest', () => {
    const cols = [{ id: 'a', title: 'A', min: 10, flex: 1 }, { id: 'b', title: 'B', min: 10, drop: 1 }, { id: 'c', title: 'C', min: 10 }];
    expect(fitColumns(cols, 25).map((w) => w.col.id)).toEqual(['a', 'c']);
    const w = fitColumns(cols, 60);
    expect(w.reduce((n, x) => n + x.width, 0) + 2).toBe(60);
  });
  it('wraps long detail lines at spaces, keeping the indent', () => {
    expect(wrapLine('  aaa bbb ccc', 9)).toEqual(['  aaa bbb', '  ccc']);
    expect(wrapLine('x'.repeat(12), 5)).toEqual(['xxxxx', 'xxxxx', 'xx']);
  });
});
