// Lines for the timeline view and for an alert's time to recover.
import type { AlertSpan, TimelineEntry } from '../report/index.js';
import type { Alert } from '../alerts/types.js';
import { formatAge } from '../model/time.js';
import { sanitize } from '../safety/sanitize.js';
import { fit } from './columns.js';
import type { DetailLine } from './details.js';
import { SEVERITY_COLOR } from './panes.js';

const hhmmss = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

export function timelineLines(entries: readonly TimelineEntry[]): DetailLine[] {
  if (entries.length === 0) return [{ text: '  nothing recorded yet' }];
  // Continuation lines of a long entry start under its details (time, mark, event, actor: 47 cells).
  const hang = 47;
  return entries.map((e) => {
    const mark = e.kind === 'alert-began' ? '▲' : e.kind === 'alert-cleared' ? '▼' : e.kind === 'action' ? '●' : e.kind === 'event' ? '◆' : ' ';
    // Fitted by width, not length: an actor with wide characters keeps the details in their column.
    const text = `${hhmmss(e.time)} ${mark} ${fit(e.event, 20)} ${fit(e.actor, 14)} ${sanitize(e.details)}`;
    if (e.kind === 'alert-began') return { text, hang, color: SEVERITY_COLOR[e.severity ?? 'medium'], bold: e.severity === 'critical' };
    if (e.kind === 'alert-cleared') return { text, hang, color: 'green' };
    if (e.kind === 'action') return { text, hang, color: 'cyan' };
    if (e.kind === 'event') return { text, hang, color: 'yellow' };
    return { text, hang };
  });
}

/** The span of the alert history that is this live alert. */
export function spanOf(spans: readonly AlertSpan[], a: Alert): AlertSpan | undefined {
  return spans.find((s) => s.alertIds.includes(a.id)) ?? spans.find((s) => s.kind === a.kind && s.subject[0] === a.subject[0]);
}

export function recoveryLines(span: AlertSpan | undefined, now: number, loading: boolean): DetailLine[] {
  const out: DetailLine[] = [{ text: '' }, { text: 'Time to recover', bold: true, color: 'cyan' }];
  if (loading) return [...out, { text: '  reading the history…' }];
  if (!span) return [...out, { text: '  no history of it (it began now)' }];
  out.push({ text: `  began:        ${new Date(span.began).toISOString()} (${formatAge(now - span.began)} ago)` });
  const a = span.addressed_by;
  out.push({ text: `  addressed by: ${a ? `${a.action} at ${new Date(a.time).toISOString()} (${formatAge(a.time - span.began)} after it began)` : 'no action yet'}` });
  out.push({ text: span.cleared === null ? `  cleared:      not yet (open for ${formatAge(now - span.began)})` : `  cleared:      ${new Date(span.cleared).toISOString()}, ${formatAge(span.cleared - span.began)} after it began` });
  return out;
}
