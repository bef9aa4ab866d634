// Hostile or odd state files on the read side: a mailbox rewritten in place (same inode, larger),
// byte order marks, values nested a million levels deep, millions of junk lines. None may show
// stale data, be rejected for a BOM, overflow the stack, or grow memory with the junk.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { JsonlTail } from '../src/sources/jsonl-tail.js';
import { NativeSource } from '../src/sources/native/source.js';
import { jsonErrorOffset, readJsonFile } from '../src/files/json.js';
import { teamFileSchema } from '../src/model/schemas.js';
import { runCli } from './helpers/cli.js';
import { iso, removeDir, tempDir, writeTeam } from './helpers/state.js';

let dir: string;
afterEach(() => removeDir(dir));
const now = Date.now();
const msg = (sequence: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ sequence, timestamp: iso(now), from: 'lead', to: 'tm_a', type: 'message', ...extra }) + '\n';

describe('the mailbox tail', () => {
  it('notices a rewrite in place that makes the file larger (same inode) and drops what vanished', async () => {
    dir = tempDir();
    const root = dir;
    const team = writeTeam(root, 'crew', { teammates: [{ id: 'tm_a' }], mailbox: msg(1) + msg(2) + msg(3) });
    const source = new NativeSource(root);
    await source.load();
    await source.watch();
    try {
      expect(source.getSnapshot().teams[0]!.mailbox.recent.map((m) => m.sequence)).toEqual([1, 2, 3]);
      // writeFileSync truncates and writes the same file: the inode stays.
      writeFileSync(join(team, 'mailbox.jsonl'), msg(10, { payload: 'a much longer line than before, so the file grows' }) + msg(11) + msg(12) + msg(13));
      await source.refresh('crew');
      expect(source.getSnapshot().teams[0]!.mailbox.recent.map((m) => m.sequence)).toEqual([10, 11, 12, 13]);
    } finally {
      await source.close();
    }
  });

  it('JsonlTail restarts when bytes before its offset changed, and not for a plain append', async () => {
    dir = tempDir();
    const f = join(dir, 'm.jsonl');
    writeFileSync(f, '{"a":1}\n{"a":2}\n');
    const seen: string[] = [];
    let resets = 0;
    const t = new JsonlTail(f, { line: (x) => { seen.push(x); }, oversized: () => undefined, reset: () => { resets++; seen.length = 0; } });
    await t.poll();
    appendFileSync(f, '{"a":3}\n');
    await t.poll();
    expect(resets).toBe(0);
    writeFileSync(f, '{"b":1}\n{"b":2}\n{"b":3}\n{"b":4}\n');
    await t.poll();
    expect(resets).toBe(1);
    expect(seen).toEqual(['{"b":1}', '{"b":2}', '{"b":3}', '{"b":4}']);
  });

  it('accepts a UTF-8 byte order mark on the first line of a mailbox and events file, and in JSON files', async () => {
    dir = tempDir();
    const team = writeTeam(dir, 'crew', { teammates: [{ id: 'tm_a' }] });
    writeFileSync(join(team, 'mailbox.jsonl'), '\ufeff' + msg(1) + msg(2));
    writeFileSync(join(team, 'events.jsonl'), '\ufeff{"type":"build","timestamp":"2026-01-01T00:00:00Z"}\n');
    writeFileSync(join(team, 'team.json'), '\ufeff{"team_status":"active"}');
    const source = new NativeSource(dir);
    await source.load();
    const t = source.getSnapshot().teams[0]!;
    await source.close();
    expect(t.mailbox.recent.map((m) => m.sequence)).toEqual([1, 2]);
    expect(t.events).toHaveLength(1);
    expect(t.info.status).toBe('active');
    expect(t.errors).toEqual([]);
    const r = await readJsonFile(join(team, 'team.json'), teamFileSchema);
    expect(r.ok).toBe(true);
  });
});

describe('deep nesting', () => {
  it('a value nested a million levels deep is refused as invalid, never recursed into', async () => {
    dir = tempDir();
    const deep = '['.repeat(400_000) + ']'.repeat(400_000);
    const team = writeTeam(dir, 'crew', { teammates: [{ id: 'tm_a', last_heartbeat: iso(now) }], mailbox: msg(1) });
    appendFileSync(join(team, 'mailbox.jsonl'), `{"sequence":2,"from":"tm_a","to":"lead","payload":${deep}}\n`);
    writeFileSync(join(team, 'team-manifest.json'), `{"tasks":[{"id":"T1","notes":${deep}}]}`);
    const r = runCli(['check', '--root', dir, '--json']);
    expect(r.status, r.stderr).not.toBe(2);
    const alerts = (JSON.parse(r.stdout) as { teams: Array<{ alerts: Array<{ kind: string; summary: string }> }> }).teams[0]!.alerts;
    expect(alerts.some((a) => /mailbox\.jsonl:2: nested deeper than 64 levels/.test(a.summary))).toBe(true);
    expect(alerts.some((a) => /team-manifest\.json: nested deeper than 64 levels/.test(a.summary))).toBe(true);
  });

  it('a broken file nested deeply gets its error line without a stack overflow', async () => {
    dir = tempDir();
    const team = writeTeam(dir, 'crew', { teammates: [{ id: 'tm_a' }] });
    writeFileSync(join(team, 'team.json'), '{"a":\n' + '['.repeat(300_000) + '\n}');
    const r = runCli(['check', '--root', dir, '--json']);
    expect(r.stderr).not.toMatch(/internal error|call stack/);
    expect(r.stdout).toMatch(/team\.json:3: invalid JSON/);
    // The scanner that finds the error's offset when V8 gives none is iterative too.
    expect(jsonErrorOffset('['.repeat(1_000_000))).toBe(1_000_000);
    expect(jsonErrorOffset('{"a":' + '['.repeat(500_000) + ']'.repeat(500_000) + '}')).toBeNull();
    expect(jsonErrorOffset('[1, 2,]')).toBe(6);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
  });
});

describe('millions of junk lines', () => {
  it('events.jsonl with 3,000,000 junk lines: check finishes with a bounded list of problems', async () => {
    dir = tempDir();
    const team = writeTeam(dir, 'crew', { teammates: [{ id: 'tm_a', last_heartbeat: iso(now) }], mailbox: msg(1) });
    const out = createWriteStream(join(team, 'events.jsonl'));
    // Plain junk, broken JSON and JSON that fails the schema, mixed.
    const chunk = ('junk line\n' + '{"type": broken\n' + '{"no_type": 1}\n' + '[1,2,3]\n' + '{"type":"x","timestamp":"not a time"}\n').repeat(2_000);
    for (let i = 0; i < 300; i++) if (!out.write(chunk)) await once(out, 'drain');
    out.end(JSON.stringify({ type: 'build', timestamp: iso(now) }) + '\n');
    await once(out, 'finish');
    const r = runCli(['check', '--root', dir, '--json']);
    expect(r.status, r.stderr).not.toBe(2);
    const alerts = (JSON.parse(r.stdout) as { teams: Array<{ alerts: Array<{ kind: string; summary: string }> }> }).teams[0]!.alerts;
    const invalid = alerts.filter((a) => a.kind === 'invalid-state');
    expect(invalid.length).toBeLessThanOrEqual(52);
    expect(invalid.some((a) => /2999950 more malformed lines skipped/.test(a.summary))).toBe(true);
  }, 120_000);
});
