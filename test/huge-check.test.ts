// `teamtop check` on a huge mailbox, and with a detector that fails: a detector that throws never
// hides another one's alerts, and check exits 2 naming it (a hook must not pass because a
// detector could not look). Runs the built program on a real state root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';

const N = 125_000;
const NOW = Date.parse('2026-02-28T15:00:00Z');
const AT = ['--at', iso(NOW)];

interface JsonAlert { id: string; kind: string; severity: string; subject: string[]; summary: string; evidence: Record<string, unknown> }
interface JsonOut {
  teams: Array<{ team_id: string; alerts: JsonAlert[]; failures?: Array<{ team_id: string; detector: string; error: string; kinds: string[] }> }>;
  failures?: Array<{ team_id: string; detector: string; error: string; kinds: string[] }>;
}

let root: string;

beforeAll(() => {
  root = tempDir('teamtop-huge-');
  const mailbox: string[] = [];
  for (let i = 1; i <= N; i++) {
    mailbox.push(JSON.stringify({
      sequence: i, timestamp: iso(NOW - 3 * 3600_000 + i), from: 'lead', to: 'tm_busy', type: 'message', ack_required: true, payload: `m${i}`,
    }) + '\n');
  }
  writeTeam(root, 'big', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW - 60_000) } },
    teammates: [
      { id: 'tm_busy', status: 'active', last_heartbeat: iso(NOW - 60_000) },
      { id: 'tm_dead', status: 'active', last_heartbeat: iso(NOW - 5 * 3600_000) },
    ],
    mailbox: mailbox.join(''),
  });
  writeTeam(root, 'small', {
    teammates: [{ id: 'tm_full', last_heartbeat: iso(NOW - 60_000), context_tokens_used: 97, context_tokens_max: 100 }],
  });
});
afterAll(() => removeDir(root));

describe(`check with ${N} unacknowledged messages and a dead teammate`, { timeout: 120_000 }, () => {
  it('--json: the dead teammate and the unacknowledged messages are both reported, exit 1', () => {
    const r = runCli(['check', '--root', root, '--json', ...AT]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as JsonOut;
    expect(j.failures).toBeUndefined();
    const big = j.teams.find((t) => t.team_id === 'big')!;
    expect(big.failures).toBeUndefined();
    expect(big.alerts.map((a) => a.kind).sort()).toEqual(['message-unacked', 'teammate-dead']);
    expect(big.alerts.find((a) => a.kind === 'teammate-dead')!.subject).toEqual(['tm_dead']);
    const unacked = big.alerts.find((a) => a.kind === 'message-unacked')!;
    expect(unacked.severity).toBe('high');
    expect(unacked.subject[0]).toBe('tm_busy');
    expect(unacked.subject).toContain(String(N));
    expect(unacked.evidence.sequence_count).toBe(N);
    expect(unacked.evidence.consecutive).toBe(N);
    // Small enough for a hook to read (and for runCli's 1 MB buffer).
    expect(r.stdout.length).toBeLessThan(100_000);
    expect(unacked.summary).toContain(`${N} consecutive messages to tm_busy`);
  });

  it('text: one line per alert, exit 1', () => {
    const r = runCli(['check', root, '--team', 'big', ...AT]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^big \(active\): 2 alerts\n {2}CRIT {2}teammate-dead +tm_dead: no heartbeat for 5h00m \(dead\)\n {2}HIGH {2}message-unacked +125000 consecutive/);
  });
});

describe('check with a failing detector (TEAMTOP_FAULT=detector:NAME)', { timeout: 120_000 }, () => {
  const fault = (names: string) => ({ env: { TEAMTOP_FAULT: `detector:${names}` } });

  it('--json: exit 2, the failure named on stderr and in the JSON, every other alert still there', () => {
    const r = runCli(['check', '--root', root, '--json', ...AT], fault('message-unacked'));
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    // One line per detector and team: the detector runs on both teams.
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes('team big'))).toMatch(/detector message-unacked failed on team big: .*injected fault/);
    expect(lines.find((l) => l.includes('team small'))).toMatch(/detector message-unacked failed on team small/);
    const j = JSON.parse(r.stdout) as JsonOut;
    const big = j.teams.find((t) => t.team_id === 'big')!;
    expect(big.alerts.map((a) => a.kind)).toEqual(['teammate-dead']);
    expect(big.failures).toEqual([expect.objectContaining({ team_id: 'big', detector: 'message-unacked', kinds: ['message-unacked'], error: expect.stringContaining('injected fault') })]);
    expect(j.teams.find((t) => t.team_id === 'small')!.alerts.map((a) => a.kind)).toEqual(['context-exhausted']);
    expect(j.failures!.map((f) => [f.team_id, f.detector]).sort()).toEqual([['big', 'message-unacked'], ['small', 'message-unacked']]);
  });

  it('text: exit 2 even when nothing else is serious; the other alerts are printed', () => {
    // heartbeat fails: the dead teammate cannot be seen, the unacknowledged messages still are.
    const r = runCli(['check', root, '--team', 'big', ...AT], fault('heartbeat'));
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^teamtop check: detector heartbeat failed on team big: /)]);
    expect(r.stdout).toContain('message-unacked');
    expect(r.stdout).toContain('1 detector failed (heartbeat)');
    expect(r.stdout).not.toContain('teammate-dead');

    const quiet = runCli(['check', root, '--team', 'small', ...AT], fault('lead-offline'));
    expect(quiet.status).toBe(2);
    expect(quiet.stderr).toMatch(/detector lead-offline failed on team small/);
    expect(quiet.stdout).toContain('context-exhausted');
  });

  it('several failing detectors: one stderr line each', () => {
    const r = runCli(['check', root, '--team', 'big', '--json', ...AT], fault('heartbeat,invalid-state,message-unacked'));
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const d of ['heartbeat', 'invalid-state', 'message-unacked']) expect(lines.filter((l) => l.includes(`detector ${d} failed on team big`))).toHaveLength(1);
    const j = JSON.parse(r.stdout) as JsonOut;
    expect(j.teams[0]!.failures!.map((f) => f.detector)).toEqual(['heartbeat', 'message-unacked', 'invalid-state']);
  });

  it('--only: a failure of a detector of the kinds asked for counts; one of other kinds hides nothing asked for', () => {
    const asked = runCli(['check', root, '--only', 'teammate-dead', ...AT], fault('heartbeat'));
    expect(asked.status).toBe(2);
    expect(asked.stderr).toMatch(/detector heartbeat failed on team big/);
    const other = runCli(['check', root, '--only', 'teammate-dead', '--json', ...AT], fault('context'));
    expect(other.stderr).toBe('');
    expect(other.status).toBe(1);
    expect((JSON.parse(other.stdout) as JsonOut).failures).toBeUndefined();
  });

  it('an unknown name in the fault list changes nothing', () => {
    const r = runCli(['check', root, '--team', 'small', ...AT], fault('no-such-detector'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
  });
});
