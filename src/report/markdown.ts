// Markdown for reports: untrusted text made safe in a line or table cell, times, the parts of
// the report every section shares.
import type { TeamSnapshot } from '../model/snapshot.js';
import { SEVERITY_RANK } from '../alerts/types.js';
import { formatAge } from '../model/time.js';
import type { ActionRecord } from './actions-log.js';
import type { AlertSpan } from './replay.js';
import type { TimelineEntry } from './timeline.js';
import { clip, safeLine } from '../safety/sanitize.js';
import { SEVERITY_LABEL } from '../model/types.js';

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

/** Appends every line, one by one: never push(...lines), whose length comes from the history. */
export function append(out: string[], lines: readonly string[]): void {
  for (const l of lines) out.push(l);
}

/** The most severe alert; the earliest of equals. */
export function topAlert(spans: readonly AlertSpan[]): AlertSpan | null {
  let best: AlertSpan | null = null;
  for (const s of spans) {
    if (!best || SEVERITY_RANK[s.severity] < SEVERITY_RANK[best.severity] || (s.severity === best.severity && s.began < best.began)) best = s;
  }
  return best;
}

export function evidenceLines(evidence: Record<string, unknown>, indent = ''): string[] {
  const entries = Object.entries(evidence);
  if (entries.length === 0) return [`${indent}- (no evidence recorded)`];
  return entries.map(([k, v]) => `${indent}- ${md(k)}: ${v === null || v === undefined ? 'none' : md(clip(safeLine(v), 300))}`);
}

export function compactEvidence(evidence: Record<string, unknown>): string {
  return clip(Object.entries(evidence).map(([k, v]) => `${k}=${safeLine(v)}`).join(', '), 160);
}

export function spanState(s: AlertSpan, now: number): string {
  return s.cleared !== null
    ? `cleared ${fmtTime(s.cleared)}, after ${formatAge(s.cleared - s.began)}`
    : `still open at the time of the report (${formatAge(Math.max(0, now - s.began))})`;
}

export const alertLine = (s: AlertSpan): string => `${SEVERITY_LABEL[s.severity]} ${md(s.kind)} — ${md(s.summary)} (began ${fmtTime(s.began)})`;

