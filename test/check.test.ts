import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';

let root: string;
afterEach(() => removeDir(root));
const NOW = Date.parse('2026-02-28T15:00:00Z');

function sample(): void {
  writeTeam(root, 'quiet', { teammates: [{ id: 'ok', last_heartbeat: iso(NOW - 60_000), context_tokens_used: 82, context_tokens_max: 100 }] });
  writeTeam(root, 'loud', { teammates: [{ id: 'gone', last_heartbeat: iso(NOW - 2 * 3600_000) }] });
}

describe('teamtop check', () => {
  it('prints one line per alert grouped by team, and exits 1 on a high or critical alert', () => {
    root = tempDir();
    sample();
    const r = runCli(['check', root, '--at', iso(NOW)]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^loud: 1 alert\n {2}CRIT {2}teammate-dead +gone: no heartbeat for 2h00m \(dead\)\nquiet: 1 alert\n {2}MED {3}context-high/m);
  });

  it('exits 0 when nothing is high or critical, and --only narrows the kinds and the exit code', () => {
    root = tempDir();
    sample();
    expect(runCli(['check', root, '--at', iso(NOW), '--team', 'quiet']).status).toBe(0);
    const r = runCli(['check', '--root', root, '--at', iso(NOW), '--only', 'context-high,context-exhausted', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.teams.map((t: { team_id: string; alerts: unknown[] }) => [t.team_id, t.alerts.length])).toEqual([['loud', 0], ['quiet', 1]]);
  });

  it('prints the documented JSON shape', () => {
    root = tempDir();
    sample();
    const j = JSON.parse(runCli(['check', root, '--at', iso(NOW), '--json', '--team', 'loud']).stdout);
    expect(j).toEqual({ teams: [{ team_id: 'loud', alerts: [{
      id: 'teammate-dead:gone', kind: 'teammate-dead', severity: 'critical', subject: ['gone'],
      summary: 'gone: no heartbeat for 2h00m (dead)', evidence: expect.objectContaining({ last_heartbeat: iso(NOW - 2 * 3600_000) }),
      since: iso(NOW - 3600_000), workflow: expect.stringContaining('reassign'),
    }] }] });
  });

  it('--at evaluates as of another time', () => {
    root = tempDir();
    sample();
    expect(runCli(['check', root, '--at', iso(NOW - 2 * 3600_000 + 5 * 60_000), '--team', 'loud']).stdout).toContain('no alerts');
    expect(runCli(['check', root, '--at', iso(NOW - 3600_000), '--team', 'loud']).stdout).toContain('teammate-stale');
  });

  it('usage errors and an unreadable root exit 2 with one line', () => {
    root = tempDir();
    sample();
    for (const args of [['check', root, '--only', 'nonsense'], ['check', root, '--at', 'noon'], ['check', root, '--team', 'nobody'], ['check', join(root, 'missing')], ['check', root, '--bogus']]) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });

  it('reports bad files as invalid-state and still prints valid JSON', () => {
    root = tempDir();
    const dir = writeTeam(root, 'broken', { teammates: [] });
    writeFileSync(join(dir, 'teammates.json'), '[{"id": "a"}, oops]');
    writeFileSync(join(dir, 'mailbox.jsonl'), '{"sequence": 1}\nnot json at all \u001b[31m\n{"sequence": 2}\n');
    const r = runCli(['check', root, '--json']);
    const j = JSON.parse(r.stdout);
    const alerts = j.teams[0].alerts as Array<{ kind: string; subject: string[] }>;
    expect(alerts.map((a) => a.kind)).toEqual(['invalid-state', 'invalid-state']);
    expect(alerts.map((a) => a.subject[0]).sort()).toEqual(['mailbox.jsonl:2', 'teammates.json:1']);
    expect(r.stdout).not.toContain('\u001b');
  });

  it('a time no Date can hold hides no other teammate\'s alert and crashes nothing', () => {
    root = tempDir();
    writeTeam(root, 'web', { teammates: [
      { id: 'tm1', status: 'active', heartbeat_age_seconds: 1e300 },
      { id: 'tm2', status: 'active', last_heartbeat: '2020-01-01T00:00:00Z' },
    ] });
    const r = runCli(['check', root, '--at', iso(NOW)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/CRIT {2}teammate-dead +tm2: no heartbeat/);
    const pm = runCli(['postmortem', '--team', 'web', '--root', root, '--out', join(root, '..', `${root.split('/').at(-1)}-report`)]);
    removeDir(join(root, '..', `${root.split('/').at(-1)}-report`));
    expect(pm.status, pm.stderr).toBe(0);
  });

  it('a team directory it cannot read (a link to one, a name that is not UTF-8) is named on stderr and exits 2', () => {
    root = tempDir();
    sample();
    const elsewhere = tempDir();
    try {
      writeTeam(elsewhere, 'hidden', { teammates: [{ id: 'h' }] });
      symlinkSync(join(elsewhere, 'hidden'), join(root, 'hidden'));
      const odd = Buffer.concat([Buffer.from(`${root}/bad-`), Buffer.from([0xff])]);
      mkdirSync(odd);
      writeFileSync(Buffer.concat([odd, Buffer.from('/teammates.json')]), '[]');
      const r = runCli(['check', root, '--at', iso(NOW), '--json']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`teamtop check: ${join(root, 'hidden')}: a symbolic link to a team directory: not read`);
      expect(r.stderr).toContain(`teamtop check: ${root}/bad-\\xff: a team directory whose name is not UTF-8: not read`);
      const j = JSON.parse(r.stdout) as { teams: Array<{ team_id: string }>; root_errors: Array<{ file: string }> };
      expect(j.teams.map((t) => t.team_id)).toEqual(['loud', 'quiet']);
      expect(j.root_errors.map((e) => e.file).sort()).toEqual([`${root}/bad-\\xff`, join(root, 'hidden')]);
    } finally {
      removeDir(elsewhere);
    }
  });
});
