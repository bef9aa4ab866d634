// context-exhausted (>= 95 % of the window, critical) and context-high (>= 80 %, medium).
import { makeAlert, type Alert, type Detector } from '../types.js';
import { contextMaxOf } from '../../model/context-window.js';
import { shownId } from '../../safety/sanitize.js';

export function contextPercent(used: number | null, max: number | null): number | null {
  if (used === null || max === null || max <= 0) return null;
  return (used / max) * 100;
}

export const context: Detector = ({ team, thresholds: t }) => {
  const out: Alert[] = [];
  for (const tm of team.teammates) {
    // The window of the teammate's model, with the configured overrides (contextWindows).
    const max = contextMaxOf(tm, t.contextWindows);
    const pct = contextPercent(tm.contextUsed, max);
    if (pct === null) continue;
    const evidence = { context_tokens_used: tm.contextUsed, context_tokens_max: max, percent: round1(pct), ...(tm.transcript ? { model: tm.transcript.model, transcript: tm.transcript.path } : {}) };
    if (pct >= t.contextExhaustedPercent) {
      out.push(makeAlert({
        kind: 'context-exhausted', severity: 'critical', subject: [tm.id],
        summary: `${shownId(tm.id)}: context ${round1(pct)}% used (${tm.contextUsed}/${max} tokens)`,
        evidence, material: {}, since: null,
        workflow: 'Context exhausted: force a reassignment with a checkpoint (R) before the teammate stalls or loses its state.',
        actions: ['reassign'],
      }));
    } else if (pct >= t.contextHighPercent) {
      out.push(makeAlert({
        kind: 'context-high', severity: 'medium', subject: [tm.id],
        summary: `${shownId(tm.id)}: context ${round1(pct)}% used`,
        evidence, material: {}, since: null,
        workflow: 'Context filling up: ask the teammate to checkpoint its state now, and plan a handoff before 95%.',
        actions: ['wake'],
      }));
    }
  }
  return out;
};

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
