// The post-mortem's documents, as pure functions of the gathered data: timeline.md, summary.json
// and postmortem.md. Every string that came from a state file goes through sanitize() (escape
// sequences and control characters removed) and has Markdown table pipes and HTML openers escaped.
import type { TeamSnapshot } from '../model/snapshot.js';
import { SEVERITIES, SEVERITY_LABEL } from '../model/types.js';
import { formatAge } from '../model/time.js';
import { safeLine, sanitize } from '../safety/sanitize.js';
import type { ActionRecord } from './actions-log.js';
import { describeAction, type TimelineEntry } from './timeline.js';
import { adviceFor, GENERAL_ADVICE } from './advice.js';
import { SEVERITY_RANK } from '../alerts/types.js';
import {
  alertLine, append, compactEvidence, evidenceLines, fmtTime, md, topAlert, type ReportInput,
} from './markdown.js';
import { fiveWhys } from './five-whys.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const minutes = (ms: number): number => Math.round(ms / 6_000) / 10;
/** The event column: what kind of row it is and its short name (already escaped). */
const EVENT_LABEL: Record<TimelineEntry['kind'], (name: string) => string> = {
  message: (name) => (name === 'message' ? 'message' : `message: ${name}`),
  event: (name) => `event: ${name}`,
  action: (name) => `action: ${name}`,
  'alert-began': (name) => `⚠ **ALERT BEGAN** ${name}`,
  'alert-cleared': (name) => `✓ **ALERT CLEARED** ${name}`,
};

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
  o.push(`- Team: ${md(team.id)} (${team.format.label}), status: ${md(team.info.status ?? 'unknown')}`);
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
    o.push(`### ${SEVERITY_LABEL[s.severity]} ${md(s.kind)}: ${md(s.summary)}`, '');
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
      const impact = s.cleared !== null ? `open for ${formatAge(s.cleared - s.began)}, then cleared` : `still open after ${formatAge(Math.max(0, generatedAt - s.began))}`;
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
