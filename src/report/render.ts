// The post-mortem's documents, as pure functions of the gathered data: timeline.md, summary.json
// and postmortem.md. Every string that came from a state file goes through sanitize() (escape
// sequences and control characters removed) and has Markdown table pipes and HTML openers escaped.
import type { Severity, TeamSnapshot } from '../model/types.js';
import { SEVERITIES, isUnfinished } from '../model/types.js';
import { SEVERITY_RANK } from '../alerts/types.js';
import { formatAge } from '../model/time.js';
import { safeLine as rawSafeLine, sanitize } from '../safety/sanitize.js';
import { limitDepth } from '../tui/json-text.js';

/** One safe line of any value, however deeply it nests (see json-text.ts). */
const safeLine = (v: unknown): string => rawSafeLine(limitDepth(v));
import type { ActionRecord } from './actions-log.js';
import type { AlertSpan } from './replay.js';
import { alertTeammates, describeAction, type TimelineEntry } from './timeline.js';
import { adviceFor, GENERAL_ADVICE } from './advice.js';

export interface ReportInput {
  team: TeamSnapshot;
  actions: readonly ActionRecord[];
  spans: readonly AlertSpan[];
  timeline: readonly TimelineEntry[];
  generatedAt: number;
  /** The team's git work tree, or null. */
  repo: string | null;
  /** What git-log.txt holds ("main..HEAD of /repo"), or null when it was not written. */
  gitLog: string | null;
  /** Files of the report that are copies of the team's state. */
  copied: readonly string[];
  /** Caveats: how the history was reconstructed, skipped lines, what could not be gathered. */
  notes: readonly string[];
}

/** One line of untrusted text, safe in Markdown (and in a table cell). */
export function md(v: unknown): string {
  return safeLine(v).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/`/g, '\\`');
}

/** "2026-02-28 14:32:15Z" */
export function fmtTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const minutes = (ms: number): number => Math.round(ms / 6_000) / 10;
const SHORT: Record<Severity, string> = { critical: 'CRIT', high: 'HIGH', medium: 'MED', low: 'LOW' };

/** The event column: what kind of row it is and its short name (already escaped). */
const EVENT_LABEL: Record<TimelineEntry['kind'], (name: string) => string> = {
  message: (name) => (name === 'message' ? 'message' : `message: ${name}`),
  event: (name) => `event: ${name}`,
  action: (name) => `action: ${name}`,
  'alert-began': (name) => `⚠ **ALERT BEGAN** ${name}`,
  'alert-cleared': (name) => `✓ **ALERT CLEARED** ${name}`,
};

/** Appends every line, one by one: never push(...lines), whose length comes from the history. */
function append(out: string[], lines: readonly string[]): void {
  for (const l of lines) out.push(l);
}

function timelineTable(entries: readonly TimelineEntry[]): string[] {
  const out = ['| time | event | actor | details |', '|---|---|---|---|'];
  for (const e of entries) {
    out.push(`| ${fmtTime(e.time)} | ${EVENT_LABEL[e.kind](md(e.event))} | ${md(e.actor)} | ${md(e.details)} |`);
  }
  return out;
}

/** timeline.md: every entry in time order, alert rows marked. */
export function renderTimeline(team: TeamSnapshot, entries: readonly TimelineEntry[]): string {
  const lines = [`# Timeline: ${md(team.id)}`, ''];
  if (entries.length === 0) lines.push('Nothing was recorded: no messages, events or actions.');
  else {
    lines.push(`${entries.length} entries from ${fmtTime(entries[0]!.time)} to ${fmtTime(entries[entries.length - 1]!.time)}. `
      + 'Rows marked ⚠ are where an alert began, ✓ where it cleared.', '');
    append(lines, timelineTable(entries));
  }
  return lines.join('\n') + '\n';
}

function countBy<T>(xs: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

function actionJson(r: ActionRecord): Record<string, unknown> {
  return { time: iso(r.time), action: r.action, args: r.args, result: r.result, ...(r.error ? { error: r.error } : {}) };
}

/** summary.json */
export function buildSummary(input: ReportInput): Record<string, unknown> {
  const { team, spans, timeline, actions } = input;
  const first = timeline[0]?.time ?? null;
  const last = timeline[timeline.length - 1]?.time ?? null;
  const bySeverity: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  for (const s of spans) bySeverity[s.severity] = (bySeverity[s.severity] ?? 0) + 1;
  return {
    team: team.id,
    status: team.info.status,
    source: team.source,
    generated_at: iso(input.generatedAt),
    started_at: iso(first),
    ended_at: iso(last),
    duration_minutes: first === null || last === null ? null : minutes(last - first),
    counts: {
      messages: timeline.filter((e) => e.kind === 'message').length,
      events: timeline.filter((e) => e.kind === 'event').length,
      actions: actions.length,
      alerts: spans.length,
      alerts_open: spans.filter((s) => s.cleared === null).length,
    },
    alerts_by_kind: countBy(spans, (s) => s.kind),
    alerts_by_severity: bySeverity,
    actions_taken: actions.map(actionJson),
    time_to_recover: spans.map((s) => ({
      alert: s.id,
      kind: s.kind,
      severity: s.severity,
      summary: s.summary,
      began: iso(s.began),
      addressed_by: s.addressed_by ? actionJson(s.addressed_by) : null,
      cleared: iso(s.cleared),
      minutes: s.time_to_recover_ms === null ? null : minutes(s.time_to_recover_ms),
    })),
    repo: input.repo,
    git_log: input.gitLog,
    notes: input.notes,
  };
}

/** The most severe alert; the earliest of equals. */
export function topAlert(spans: readonly AlertSpan[]): AlertSpan | null {
  let best: AlertSpan | null = null;
  for (const s of spans) {
    if (!best || SEVERITY_RANK[s.severity] < SEVERITY_RANK[best.severity] || (s.severity === best.severity && s.began < best.began)) best = s;
  }
  return best;
}

function evidenceLines(evidence: Record<string, unknown>, indent = ''): string[] {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return [`${indent}- (no evidence recorded)`];
  return entries.map(([k, v]) => `${indent}- ${md(k)}: ${v === null || v === undefined ? 'none' : md(clip(safeLine(v), 300))}`);
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function compactEvidence(evidence: Record<string, unknown>): string {
  return clip(Object.entries(evidence).map(([k, v]) => `${k}=${safeLine(v)}`).join(', '), 160);
}

function spanState(s: AlertSpan, now: number): string {
  return s.cleared !== null
    ? `cleared ${fmtTime(s.cleared)}, after ${formatAge(s.cleared - s.began)}`
    : `still open at the time of the report (${formatAge(Math.max(0, now - s.began))})`;
}

const alertLine = (s: AlertSpan): string => `${SHORT[s.severity]} ${md(s.kind)} — ${md(s.summary)} (began ${fmtTime(s.began)})`;

/** Timeline entries before `t` that concern any of the teammates (the latest `n`), alerts excluded. */
function before(timeline: readonly TimelineEntry[], t: number, teammates: readonly string[], n: number): TimelineEntry[] {
  const out = timeline.filter((e) => e.time <= t && (e.kind === 'message' || e.kind === 'event' || e.kind === 'action')
    && (teammates.length === 0 || teammates.includes(e.actor) || e.teammates.some((x) => teammates.includes(x))));
  return out.slice(-n);
}

const entryLine = (e: TimelineEntry): string =>
  `${fmtTime(e.time)} ${md(e.kind === 'message' && e.event === 'message' ? 'message' : `${e.kind} ${e.event}`)} by ${md(e.actor)}: ${md(e.details)}`;

function fiveWhys(input: ReportInput): string[] {
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
  out.push(`- Answer (from the evidence): ${md(top.summary)} — ${SHORT[top.severity]} \`${md(top.kind)}\`, began ${fmtTime(top.began)}.`);
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

const TIMELINE_IN_REPORT = 300;

/** postmortem.md */
export function renderPostmortem(input: ReportInput): string {
  const { team, spans, timeline, actions, generatedAt } = input;
  const o: string[] = [];
  const top = topAlert(spans);
  const first = timeline[0]?.time ?? null;
  const last = timeline[timeline.length - 1]?.time ?? null;
  const open = spans.filter((s) => s.cleared === null);

  o.push(`# Post-mortem: ${md(team.id)}`, '');
  o.push(`Generated ${fmtTime(generatedAt)} by \`teamtop postmortem\` from the team's state files. `
    + 'The analysis sections are pre-filled from the evidence; the parts marked _(answer)_ are for the people reviewing it.', '');

  o.push('## Summary', '');
  o.push(`- Team: ${md(team.id)} (${team.source === 'claude' ? 'Claude Code team' : 'team-state format'}), status: ${md(team.info.status ?? 'unknown')}`);
  if (first !== null && last !== null) o.push(`- Recorded history: ${fmtTime(first)} to ${fmtTime(last)} (${minutes(last - first)} min)`);
  else o.push('- Recorded history: empty (no messages, events or actions)');
  o.push(`- ${timeline.filter((e) => e.kind === 'message').length} messages, ${timeline.filter((e) => e.kind === 'event').length} events, ${actions.length} teamtop actions`);
  const bySev = SEVERITIES.map((s) => [s, spans.filter((x) => x.severity === s).length] as const).filter(([, n]) => n > 0);
  o.push(`- Alerts: ${spans.length === 0 ? 'none fired' : `${spans.length} fired (${bySev.map(([s, n]) => `${n} ${s}`).join(', ')}), ${open.length} still open`}`);
  if (top) o.push(`- Most severe: ${alertLine(top)}`);
  o.push(`- Repository: ${input.repo ? md(input.repo) : 'none'}${input.gitLog ? ` — git-log.txt holds ${md(input.gitLog)}` : ''}`);
  o.push('');
  if (input.notes.length) {
    o.push('How this was reconstructed:', '');
    for (const n of input.notes) o.push(`- ${md(n)}`);
    o.push('');
  }

  o.push('## Timeline', '');
  if (timeline.length === 0) o.push('Nothing was recorded.', '');
  else {
    let shown: readonly TimelineEntry[] = timeline;
    let note = '';
    if (timeline.length > TIMELINE_IN_REPORT) {
      shown = timeline.filter((e) => e.kind !== 'message');
      note = `${timeline.length} entries in all; messages are left out here`;
      if (shown.length > TIMELINE_IN_REPORT) {
        shown = shown.slice(0, TIMELINE_IN_REPORT);
        note += ` and only the first ${TIMELINE_IN_REPORT} other entries are shown`;
      }
      note += ': the full list is in timeline.md.';
    }
    append(o, timelineTable(shown));
    o.push('');
    if (note) o.push(note, '');
  }

  o.push('## Alerts that fired', '');
  if (spans.length === 0) o.push('None: the detectors found nothing wrong at any point of the recorded history.', '');
  const ordered = [...spans].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.began - b.began);
  for (const s of ordered) {
    o.push(`### ${SHORT[s.severity]} ${md(s.kind)}: ${md(s.summary)}`, '');
    o.push(`- Began: ${fmtTime(s.began)}`);
    o.push(`- ${s.cleared !== null ? `Cleared: ${fmtTime(s.cleared)} (after ${formatAge(s.cleared - s.began)})` : 'Cleared: no, still open at the time of the report'}`);
    o.push(`- Addressed by: ${s.addressed_by ? md(describeAction(s.addressed_by)) : 'no action recorded'}`);
    if (s.subject.length) o.push(`- Concerns: ${s.subject.map(md).join(', ')}`);
    o.push('- Evidence:');
    append(o, evidenceLines(s.evidence, '  '));
    o.push(`- Suggested recovery: ${md(s.workflow)}`, '');
  }

  append(o, fiveWhys(input));

  o.push('## Findings', '');
  if (spans.length === 0) o.push('_(none pre-filled: no alert fired)_', '');
  else {
    o.push('| category | severity | finding | evidence | impact |', '|---|---|---|---|---|');
    for (const s of ordered) {
      const impact = s.cleared !== null ? `open ${formatAge(s.cleared - s.began)}` : `still open after ${formatAge(Math.max(0, generatedAt - s.began))}`;
      o.push(`| ${adviceFor(s.kind).category} | ${s.severity} | ${md(s.summary)} | ${md(compactEvidence(s.evidence))} | ${impact} |`);
    }
    o.push('', 'Contributing factors: _(fill in: team size, cross-layer work, missing contracts, …)_', '');
  }

  o.push('## What we did', '');
  if (actions.length === 0) o.push('No action was taken through teamtop (actions.jsonl is empty or absent).', '');
  else {
    o.push('| time | action | target | result | details |', '|---|---|---|---|---|');
    for (const r of actions) {
      const target = [r.args.target, r.args.to !== undefined ? `→ ${safeLine(r.args.to)}` : undefined].filter((x) => x !== undefined && x !== null).map((x) => safeLine(x)).join(' ');
      const details = r.error ?? (typeof r.args.reason === 'string' ? `reason: ${r.args.reason}` : r.args.edge !== undefined ? `edge ${safeLine(r.args.edge)}` : '');
      o.push(`| ${fmtTime(r.time)} | ${md(r.action)} | ${md(target)} | ${md(r.result ?? '')} | ${md(details)} |`);
    }
    o.push('');
  }
  o.push('### Time to recover', '');
  if (spans.length === 0) o.push('Nothing to recover from.', '');
  else {
    o.push('| alert | severity | began | addressed by | cleared | minutes |', '|---|---|---|---|---|---|');
    for (const s of spans) {
      o.push(`| ${md(s.kind)}: ${md(s.summary)} | ${s.severity} | ${fmtTime(s.began)} | ${s.addressed_by ? md(describeAction(s.addressed_by)) : '—'} | `
        + `${s.cleared !== null ? fmtTime(s.cleared) : 'still open'} | ${s.time_to_recover_ms !== null ? minutes(s.time_to_recover_ms) : '—'} |`);
    }
    o.push('');
  }

  o.push('## Prevention recommendations', '');
  const kinds: string[] = [];
  for (const s of ordered) if (!kinds.includes(s.kind)) kinds.push(s.kind);
  if (kinds.length === 0) o.push('No alert fired; the general practices below still apply.', '');
  for (const k of kinds) {
    const a = adviceFor(k);
    o.push(`### ${k} (${a.category})`, '', `It usually means ${a.meaning}.`, '');
    for (const r of a.recommendations) o.push(`- ${r}`);
    o.push('');
  }
  o.push('### For every team', '');
  for (const r of GENERAL_ADVICE) o.push(`- ${r}`);
  o.push('');

  o.push('## Evidence gathered', '');
  for (const f of input.copied) o.push(`- ${md(f)}`);
  if (input.gitLog) o.push(`- git-log.txt: ${md(input.gitLog)}`);
  o.push('- timeline.md, summary.json: generated from the above', '');

  o.push('## Lessons', '');
  o.push('Record what the team learned in the repository\'s tasks/lessons.md:', '');
  o.push('```');
  o.push(`teamtop lessons add --team ${sanitize(team.id)} --type "${top ? top.kind : 'FAILURE TYPE'}" --what "…" --learned "…" --next "…"`);
  o.push('```', '');
  return o.join('\n');
}
