// The five-whys scaffold of a post-mortem, pre-filled from the evidence: the most severe alert,
// the earliest one that began before it, what happened around its teammates just before, how
// the team responded, the tasks involved, and the practice that prevents it.
import { isUnfinished, SEVERITY_LABEL } from '../model/types.js';
import { formatAge } from '../model/time.js';
import type { TimelineEntry } from './timeline.js';
import { alertTeammates, describeAction } from './timeline.js';
import type { AlertSpan } from './replay.js';
import { adviceFor } from './advice.js';
import { alertLine, append, evidenceLines, fmtTime, md, spanState, topAlert, type ReportInput } from './markdown.js';

/** Timeline entries before `t` that concern any of the teammates (the latest `n`), alerts excluded. */
function before(timeline: readonly TimelineEntry[], t: number, teammates: readonly string[], n: number): TimelineEntry[] {
  const out = timeline.filter((e) => e.time <= t && (e.kind === 'message' || e.kind === 'event' || e.kind === 'action')
    && (teammates.length === 0 || teammates.includes(e.actor) || e.teammates.some((x) => teammates.includes(x))));
  return out.slice(-n);
}

const entryLine = (e: TimelineEntry): string =>
  `${fmtTime(e.time)} ${md(e.kind === 'message' && e.event === 'message' ? 'message' : `${e.kind} ${e.event}`)} by ${md(e.actor)}: ${md(e.details)}`;

export function fiveWhys(input: ReportInput): string[] {
  const { spans, timeline, team } = input;
  const top = topAlert(spans);
  const out = ['## Root cause: five whys', ''];
  if (!top) {
    out.push('No alert fired during the recorded history, so there is nothing to pre-fill. Start from what went wrong:', '');
    for (let i = 1; i <= 5; i++) out.push(`**Why #${i}:** _(answer)_`, '');
    out.push('**Root cause:** _(fill in)_', '');
    return out;
  }
  const teammates = alertTeammates(team, top);
  // The earliest other alert that had begun by then (one that began at the same moment counts: it may be the cause).
  const earlier = spans.filter((s) => s !== top && s.began <= top.began).sort((a, b) => a.began - b.began);
  const first = earlier[0] ?? null;

  out.push(`**Issue:** ${alertLine(top)}; ${spanState(top, input.generatedAt)}.`, '');

  out.push(`**Why #1: Why did the team get into trouble?**`, '');
  out.push(`- Answer (from the evidence): ${md(top.summary)} — ${SEVERITY_LABEL[top.severity]} \`${md(top.kind)}\`, began ${fmtTime(top.began)}.`);
  out.push('- Evidence:');
  append(out, evidenceLines(top.evidence, '  '));
  out.push('');

  out.push(`**Why #2: Why did ${md(top.kind)} happen?** _(answer)_`, '');
  if (first) out.push(`- The earliest alert ${first.began < top.began ? 'before it' : 'that began with it'}: ${alertLine(first)}; ${spanState(first, input.generatedAt)}.`);
  else out.push('- No other alert began before it.');
  const lead = before(timeline, top.began, teammates, 5);
  if (lead.length) {
    out.push(`- What happened${teammates.length ? ` around ${teammates.map(md).join(', ')}` : ''} just before it began:`);
    for (const e of lead) out.push(`  - ${entryLine(e)}`);
  }
  out.push('');

  const cause = first ?? top;
  out.push(first
    ? `**Why #3: Why did ${md(first.kind)} happen, and why was it not resolved sooner?** _(answer)_`
    : '**Why #3: Why was it not detected or handled sooner?** _(answer)_', '');
  const response = (s: AlertSpan): string => s.addressed_by
    ? `${md(s.kind)}: first action ${md(describeAction(s.addressed_by))}, ${formatAge(s.addressed_by.time - s.began)} after it began; ${spanState(s, input.generatedAt)}`
    : `${md(s.kind)}: no action recorded; ${spanState(s, input.generatedAt)}`;
  out.push(`- Response: ${response(cause)}.`);
  if (cause !== top) out.push(`- Response: ${response(top)}.`);
  out.push('');

  out.push('**Why #4: Why did the plan (task breakdown, dependencies, ownership) allow it?** _(answer)_', '');
  const subject = new Set(top.subject);
  const involved = team.tasks.filter((t) => subject.has(t.id) || (t.owner !== null && teammates.includes(t.owner) && isUnfinished(t))).slice(0, 8);
  if (involved.length) {
    out.push('- Tasks involved (current state):');
    for (const t of involved) {
      out.push(`  - ${md(t.id)}${t.name ? ` ${md(t.name)}` : ''}: ${md(t.status)}, owner ${md(t.owner ?? 'none')}${t.dependsOn.length ? `, waits on ${t.dependsOn.map(md).join(', ')}` : ''}`);
    }
  } else out.push('- No task is tied to this alert in the current task list.');
  out.push('');

  out.push('**Why #5: Why did the team\'s process not catch it before it happened?** _(answer)_', '');
  const kinds = [...new Set([top.kind, ...(first ? [first.kind] : [])])];
  for (const k of kinds) {
    const a = adviceFor(k);
    out.push(`- \`${k}\` usually means ${a.meaning}. The practice that prevents it: ${a.recommendations[0] ?? ''}`);
  }
  out.push('', '**Root cause:** _(fill in once the whys are answered)_', '');
  return out;
}

