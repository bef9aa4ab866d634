// `teamtop check --watch --jsonl`: one JSON line per alert transition (raised, cleared, acked),
// as it happens, through a break-cycle and through the state root disappearing and coming back.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { transitions } from '../src/cli/check-watch.js';
import { makeAlert } from '../src/alerts/types.js';
import { ackFingerprint } from '../src/alerts/acks.js';
import { team } from './helpers/model.js';
import { PROJECT, runCli } from './helpers/cli.js';
import { Running } from './helpers/proc.js';
import { removeDir, tempDir } from './helpers/state.js';

const alert = (kind: string, subject: string[]) => makeAlert({ kind, severity: 'critical', subject, summary: kind, evidence: {}, since: null, workflow: '' });

describe('alert transitions', () => {
  it('raised once, acked when acknowledged, cleared when gone; a removed team\'s alerts clear', () => {
    const known = new Map();
    const cycle = alert('dependency-cycle', ['T1', 'T2']);
    const t = team({ id: 'perf' });
    expect(transitions(known, [{ team: t, alerts: [cycle], failures: [] }], 0, null).map((l) => [l.event, l.kind, l.acked])).toEqual([['raised', 'dependency-cycle', false]]);
    expect(transitions(known, [{ team: t, alerts: [cycle], failures: [] }], 1, null)).toEqual([]);
    const acked = { ...t, acks: new Map([[cycle.id, ackFingerprint(cycle)]]) };
    expect(transitions(known, [{ team: acked, alerts: [cycle], failures: [] }], 2, null).map((l) => l.event)).toEqual(['acked']);
    // The acknowledgement stops holding (another severity): open again.
    const worse = { ...cycle, severity: 'high' as const };
    expect(transitions(known, [{ team: acked, alerts: [worse], failures: [] }], 2.5, null).map((l) => [l.event, l.reopened])).toEqual([['raised', true]]);
    const dead = alert('teammate-dead', ['tm_a']);
    expect(transitions(known, [{ team: t, alerts: [dead], failures: [] }], 3, null).map((l) => [l.event, l.kind])).toEqual([['raised', 'teammate-dead'], ['cleared', 'dependency-cycle']]);
    expect(transitions(known, [{ team: t, alerts: [dead], failures: [] }], 4, ['dependency-cycle']).map((l) => [l.event, l.kind])).toEqual([['cleared', 'teammate-dead']]);
    transitions(known, [{ team: t, alerts: [cycle], failures: [] }], 5, null);
    expect(transitions(known, [], 6, null).map((l) => [l.event, l.team, l.kind])).toEqual([['cleared', 'perf', 'dependency-cycle']]);
  });
});

let root: string | null = null;
let run: Running | null = null;
afterEach(async () => {
  await run?.stop();
  run = null;
  if (root) removeDir(root);
  root = null;
});

describe('teamtop check --watch --jsonl', () => {
  it('prints the cycle raised, then cleared after break-cycle; says when the root goes and comes back', async () => {
    root = tempDir('teamtop-watch-');
    cpSync(join(PROJECT, 'demo-state', 'beta-cycle'), join(root, 'beta-cycle'), { recursive: true });
    run = new Running(['check', '--watch', '--jsonl', '--root', root, '--only', 'dependency-cycle,sequence-gap']);
    const has = (event: string) => () => run!.lines().some((l) => l.event === event && (l.kind === 'dependency-cycle' || !('kind' in l)));
    await run.until(() => run!.lines().length >= 2, 'the cycle and the gap raised');
    expect(run.lines().map((l) => [l.event, l.kind])).toEqual([['raised', 'dependency-cycle'], ['raised', 'sequence-gap']]);
    expect(run.lines()[0]).toMatchObject({ team: 'beta-cycle', severity: 'critical', acked: false });
    expect(runCli(['act', 'break-cycle', '--root', root, '--team', 'beta-cycle', '--yes']).status).toBe(0);
    await run.until(has('cleared'), 'the cycle cleared');
    renameSync(root, `${root}.away`);
    await run.until(has('source-unavailable'), 'the outage said');
    renameSync(`${root}.away`, root);
    await run.until(has('source-restored'), 'the root back');
    // The gap stayed open through the outage: neither cleared by it nor raised again after it.
    expect(run.lines().map((l) => [l.event, l.kind])).toEqual([
      ['raised', 'dependency-cycle'], ['raised', 'sequence-gap'], ['cleared', 'dependency-cycle'], ['source-unavailable', undefined], ['source-restored', undefined],
    ]);
    expect(await run.stop()).toBe(0);
  }, 60_000);

  it('--watch goes with --jsonl', () => {
    expect(runCli(['check', '--watch', '--root', '/tmp']).stderr).toContain('--watch goes with --jsonl');
  });
});
