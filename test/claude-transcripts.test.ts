// Claude Code transcripts: the context window table, tailing a transcript into aggregates, locating
// a team's transcripts under ~/.claude/projects and matching them to its members. Every file is a
// real one written here (or the fixture under test/fixtures/transcripts/).
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, closeSync, copyFileSync, mkdirSync, openSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { contextWindowFor } from '../src/model/context-window.js';
import {
  findSessionTranscripts, LEAD, matchTranscripts, MESSAGE_IDS_KEPT, projectDirName, projectDirsFor, readHead, TeamTranscripts,
  toolArg, TranscriptReader, type MemberInfo, type TranscriptCandidate,
} from '../src/sources/claude/transcripts/index.js';
import { UnreadableFileError } from '../src/files/read.js';
import { iso, removeDir, tempDir } from './helpers/state.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'transcripts');
const T0 = Date.parse('2026-11-20T10:00:00.000Z');
const t = (s: number): string => iso(T0 + s * 1000);

type Usage = [input: number, output: number, cacheCreate: number, cacheRead: number];
function assistant(o: { id?: string; model?: string; usage?: Usage; tools?: Array<[string, Record<string, unknown>]>; at?: number }): object {
  const [input, output, created, read] = o.usage ?? [0, 0, 0, 0];
  return {
    type: 'assistant', sessionId: 'sess', timestamp: t(o.at ?? 0),
    message: {
      ...(o.id ? { id: o.id } : {}), role: 'assistant', model: o.model ?? 'claude-opus-4-7',
      content: (o.tools ?? []).map(([name, input]) => ({ type: 'tool_use', id: `toolu_${name}`, name, input })),
      ...(o.usage ? { usage: { input_tokens: input, output_tokens: output, cache_creation_input_tokens: created, cache_read_input_tokens: read } } : {}),
    },
  };
}
/** An assistant message whose context (input + cache creation + cache read) is `ctx`. */
const ctxMsg = (id: string, ctx: number, at = 0): object => assistant({ id, usage: [ctx, 1, 0, 0], at });
const userMsg = (content: unknown, at = 0, extra: object = {}): object => ({ type: 'user', timestamp: t(at), message: { role: 'user', content }, ...extra });
const boundary = (at: number, trigger: string, preTokens?: number): object =>
  ({ type: 'system', subtype: 'compact_boundary', timestamp: t(at), content: 'Conversation compacted', compactMetadata: { trigger, preTokens } });
const jsonl = (lines: unknown[]): string => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)) + '\n').join('');
const mkfifo = (path: string): void => { execFileSync('mkfifo', [path]); };

let dir = '';
afterEach(() => {
  if (dir) removeDir(dir);
  dir = '';
});

async function readAll(lines: unknown[], maxLine?: number) {
  dir = tempDir();
  const f = join(dir, 's.jsonl');
  writeFileSync(f, jsonl(lines));
  const r = new TranscriptReader(f, maxLine);
  await r.poll();
  return { r, f, s: r.stats() };
}

describe('contextWindowFor', () => {
  it.each([
    [null, 200_000], ['claude-opus-4-7', 1_000_000], ['claude-opus-4-6', 1_000_000], ['claude-opus-4-8', 1_000_000],
    ['claude-opus-4-5', 200_000], ['claude-opus-4-5-20251101', 200_000], ['claude-opus-4-1-20250805', 200_000],
    ['claude-opus-4-20250514', 200_000], ['claude-opus-4-60', 200_000], ['claude-opus-5', 1_000_000], ['claude-opus-5-5', 1_000_000],
    ['claude-opus-5-20260101', 1_000_000], ['claude-fable-5-20260101', 1_000_000], ['claude-opus-4-20250514', 200_000],
    ['claude-sonnet-4-6-20260101', 1_000_000], ['claude-sonnet-4-5', 200_000], ['claude-sonnet-4-5-20250929', 200_000],
    ['claude-sonnet-5', 1_000_000], ['claude-sonnet-5-5', 1_000_000], ['claude-haiku-4-5-20251001', 200_000], ['claude-haiku-5-5', 1_000_000],
    ['claude-fable-5-1', 1_000_000], ['claude-fable-5', 1_000_000], ['claude-fable-5-2', 200_000], ['claude-mythos-5-1', 1_000_000],
    ['claude-mythos-preview', 1_000_000], ['claude-3-7-sonnet-20250219', 200_000], ['opus', 200_000], ['', 200_000],
    ['claude-sonnet-4-5[1m]', 1_000_000], ['claude-opus-4-7[1m]', 1_000_000], ['opus[1m]', 1_000_000],
    ['us.anthropic.claude-opus-4-6-v1:0', 1_000_000], ['claude-opus-4-6@20260101', 1_000_000], ['CLAUDE-OPUS-4-6', 1_000_000],
    ['notclaude-opus-4-6', 200_000],
  ])('%s -> %i', (model, tokens) => {
    expect(contextWindowFor(model)).toBe(tokens);
  });

  it('takes overrides first, by the longest matching prefix', () => {
    const o = { 'claude-opus-4': 300_000, 'claude-opus-4-7': 500_000, 'claude-sonnet': 123_000 };
    expect(contextWindowFor('claude-opus-4-7', o)).toBe(500_000);
    expect(contextWindowFor('claude-opus-4-5', o)).toBe(300_000);
    expect(contextWindowFor('claude-sonnet-4-5[1m]', o)).toBe(123_000);
    expect(contextWindowFor('claude-haiku-4-5', o)).toBe(200_000);
    expect(contextWindowFor(null, o)).toBe(200_000);
  });
});

describe('TranscriptReader', () => {
  it('reads the fixture: newest model and context, tokens, last tool, first prompt, identity', async () => {
    dir = tempDir();
    const f = join(dir, 'lead.jsonl');
    copyFileSync(join(FIXTURES, 'lead-session.jsonl'), f);
    const r = new TranscriptReader(f);
    expect(await r.poll()).toBe(true);
    const s = r.stats();
    // The last line is a <synthetic> API error with zero usage: it changes neither model nor context.
    expect(s.model).toBe('claude-opus-4-7');
    expect(s.contextUsed).toBe(5 + 400 + 27_000);
    // msg_01A streamed twice (its last usage counts once) + msg_01B; cache reads are not counted.
    expect(s.tokensTotal).toBe((3 + 12_000 + 250) + (5 + 400 + 120));
    expect(s.lastTool).toEqual({ tool: 'Agent', arg: 'Research billing', at: Date.parse('2026-11-20T10:00:09.000Z') });
    expect(s.firstPrompt).toBe('Create a team to refactor the billing module: a researcher and a tester.');
    expect(s).toMatchObject({
      sessionId: '7f3c2a10-5b4e-4c1d-9a8f-0e6d5c4b3a21', cwd: '/home/dev/my_app', agentId: null, compactions: [], lines: 9, badLines: 0,
      startedAt: Date.parse('2026-11-20T10:00:01.000Z'), lastActivity: Date.parse('2026-11-20T10:00:11.000Z'), problem: null,
    });
    expect(await r.poll()).toBe(false);
  });

  it('uses the context of the newest assistant message with usage', async () => {
    const { s } = await readAll([
      assistant({ id: 'm1', model: 'claude-opus-4-6', usage: [100, 10, 1000, 5000], at: 1 }),
      assistant({ id: 'm2', model: 'claude-sonnet-4-6', usage: [200, 5, 300, 9000], at: 2 }),
      assistant({ id: 'm3', model: 'claude-sonnet-4-6', at: 3 }),
    ]);
    expect(s.contextUsed).toBe(200 + 300 + 9000);
    expect(s.model).toBe('claude-sonnet-4-6');
    expect(s.lastActivity).toBe(T0 + 3000);
    expect(s.startedAt).toBe(T0 + 1000);
  });

  it('counts a message streamed over several lines once, with its last usage', async () => {
    const { r, f, s } = await readAll([
      assistant({ id: 'm1', usage: [100, 1, 50, 1000] }),
      assistant({ id: 'm1', usage: [100, 20, 50, 1000] }),
      'junk between',
      assistant({ id: 'm1', usage: [100, 40, 50, 1000] }),
      assistant({ id: 'm2', usage: [10, 5, 0, 2000] }),
      assistant({ usage: [1, 1, 0, 0] }),
    ]);
    expect(s.tokensTotal).toBe((100 + 50 + 40) + (10 + 0 + 5) + (1 + 0 + 1));
    appendFileSync(f, jsonl([assistant({ id: 'm1', usage: [100, 60, 50, 1000] })]));
    await r.poll();
    expect(r.stats().tokensTotal).toBe(s.tokensTotal + 20);
  });

  it('remembers only the last MESSAGE_IDS_KEPT message ids', async () => {
    const many = Array.from({ length: MESSAGE_IDS_KEPT + 1 }, (_, i) => assistant({ id: `m${i}`, usage: [1, 0, 0, 0] }));
    const { r, f, s } = await readAll(many);
    expect(s.tokensTotal).toBe(MESSAGE_IDS_KEPT + 1);
    // m0 was forgotten (counted again); the newest one is still known (replaced, not added).
    appendFileSync(f, jsonl([assistant({ id: 'm0', usage: [1, 0, 0, 0] }), assistant({ id: `m${MESSAGE_IDS_KEPT}`, usage: [1, 0, 0, 0] })]));
    await r.poll();
    expect(r.stats().tokensTotal).toBe(MESSAGE_IDS_KEPT + 2);
  });

  it('keeps the newest tool call with a short argument', async () => {
    const long = 'echo ' + 'x'.repeat(500);
    const { r, f, s } = await readAll([
      assistant({ tools: [['Read', { file_path: '/src/a.ts', limit: 10 }]], at: 1 }),
      assistant({ tools: [['Grep', { path: '/src', pattern: 'TODO' }], ['Bash', { description: 'List', command: 'ls -la' }]], at: 2 }),
    ]);
    expect(s.lastTool).toEqual({ tool: 'Bash', arg: 'ls -la', at: T0 + 2000 });
    appendFileSync(f, jsonl([assistant({ tools: [['Bash', { command: long }]], at: 3 })]));
    await r.poll();
    const arg = r.stats().lastTool!.arg;
    expect(arg.length).toBeLessThanOrEqual(120);
    expect(arg.length).toBeGreaterThan(100);
    expect(long.startsWith(arg.slice(0, -1))).toBe(true);
    expect(arg.endsWith('…')).toBe(true);
  });

  it.each([
    ['Bash', { description: 'Run', command: 'npm test' }, 'npm test'],
    ['Read', { limit: 5, file_path: '/a/b.ts' }, '/a/b.ts'],
    ['Edit', { old_string: 'x', file_path: '/a/c.ts', new_string: 'y' }, '/a/c.ts'],
    ['Write', { content: 'hello', file_path: '/a/d.ts' }, '/a/d.ts'],
    ['Grep', { path: '/src', pattern: 'foo.*bar' }, 'foo.*bar'],
    ['Glob', { path: '/src', pattern: '**/*.ts' }, '**/*.ts'],
    ['WebFetch', { url: 'https://example.com', prompt: 'summarize' }, 'https://example.com'],
    ['SendMessage', { recipient: 7, message: 'done' }, 'done'],
    ['Bash', { command: 42, description: 'fallback' }, 'fallback'],
    ['TodoWrite', { todos: [] }, ''],
  ])('toolArg(%s, %j) = %j', (tool, input, arg) => {
    expect(toolArg(tool, input)).toBe(arg);
  });

  it('never splits a surrogate pair when capping', () => {
    const arg = toolArg('Bash', { command: 'a'.repeat(118) + '😀😀😀' });
    expect(arg).toBe('a'.repeat(118) + '…');
  });

  it('records a compact_boundary and an unexplained drop over 20%, not small drops or synthetic messages', async () => {
    const { s } = await readAll([
      ctxMsg('m1', 150_000, 1),
      boundary(2, 'manual', 150_500),
      ctxMsg('m2', 20_000, 3), // explained by the boundary
      ctxMsg('m3', 30_000, 4),
      ctxMsg('m4', 20_000, 5), // -33%: a drop
      ctxMsg('m5', 18_000, 6), // -10%: none
      { type: 'assistant', timestamp: t(7), isApiErrorMessage: true, message: { id: 'e', model: '<synthetic>', content: [], usage: { input_tokens: 0, output_tokens: 0 } } },
      ctxMsg('m6', 17_000, 8),
    ]);
    expect(s.compactions).toEqual([
      { at: T0 + 2000, trigger: 'boundary', before: 150_500, after: 20_000, how: 'manual' },
      { at: T0 + 5000, trigger: 'drop', before: 30_000, after: 20_000 },
    ]);
    expect(s.contextUsed).toBe(17_000);
    expect(s.model).toBe('claude-opus-4-7');
  });

  it('keeps the last 50 compactions', async () => {
    const { s } = await readAll(Array.from({ length: 60 }, (_, i) => boundary(i, 'auto', i)));
    expect(s.compactions).toHaveLength(50);
    expect(s.compactions[0]!.before).toBe(10);
    expect(s.compactions[49]).toMatchObject({ before: 59, how: 'auto', at: T0 + 59_000 });
  });

  it('reads only the appended bytes on a poll', async () => {
    // 200 lines (~40 KB): line 100 lies outside the bytes JsonlTail fingerprints at either end.
    const lines = Array.from({ length: 200 }, (_, i) => assistant({ id: `m${i}`, usage: [1, i === 100 ? 11 : 10, 0, 0], at: i }));
    const { r, f, s } = await readAll(lines);
    expect(s.tokensTotal).toBe(200 * 11 + 1);
    expect(r.offset).toBe(statSync(f).size);
    // Rewrite line 100 in place, same length: only a re-read from the start would see it.
    const text = readFileSync(f, 'utf8');
    const pos = Buffer.byteLength(text.slice(0, text.indexOf('"output_tokens":11')));
    const fd = openSync(f, 'r+');
    writeSync(fd, '"output_tokens":99', pos);
    closeSync(fd);
    const before = r.offset;
    const added = jsonl([assistant({ id: 'new', usage: [2, 3, 0, 0], at: 300 })]);
    appendFileSync(f, added);
    expect(await r.poll()).toBe(true);
    expect(r.offset).toBe(before + Buffer.byteLength(added));
    expect(r.stats().tokensTotal).toBe(s.tokensTotal + 5);
    expect(r.stats().lines).toBe(201);
  });

  it('holds a half-written last line until its newline', async () => {
    dir = tempDir();
    const f = join(dir, 's.jsonl');
    const first = jsonl([ctxMsg('m1', 1000)]);
    const second = JSON.stringify(ctxMsg('m2', 5000));
    writeFileSync(f, first + second.slice(0, 40));
    const r = new TranscriptReader(f);
    await r.poll();
    expect(r.stats()).toMatchObject({ contextUsed: 1000, lines: 1, badLines: 0 });
    // The held bytes are read (the offset covers them) but not yet a line.
    expect(r.offset).toBe(Buffer.byteLength(first) + 40);
    appendFileSync(f, second.slice(40) + '\n');
    await r.poll();
    expect(r.stats()).toMatchObject({ contextUsed: 5000, lines: 2, badLines: 0 });
  });

  it('counts junk and oversized lines without stopping', async () => {
    const { s } = await readAll([
      'not json', '[1,2]', '"a string"', '', '{"type":"assistant","message":"oops"}',
      '{"type":"assistant","message":{"model":7,"usage":{"input_tokens":"many","output_tokens":-5}}}',
      { type: 'user', message: { content: 'x'.repeat(2000) } },
      ctxMsg('m1', 4000, 9),
    ], 1024);
    expect(s).toMatchObject({ badLines: 3, skippedLines: 1, lines: 6, contextUsed: 4000, tokensTotal: 4001, model: 'claude-opus-4-7', firstPrompt: null });
  });

  it('takes the first real user message as the first prompt, capped at 4 KiB', async () => {
    const { s } = await readAll([
      userMsg('<local-command-caveat>note</local-command-caveat>', 1, { isMeta: true }),
      userMsg([{ type: 'tool_result', tool_use_id: 't', content: 'out' }], 2),
      userMsg([{ type: 'text', text: 'Hello ' + 'y'.repeat(5000) }, { type: 'text', text: 'more' }], 3),
      userMsg('second', 4),
    ]);
    expect(s.firstPrompt!.startsWith('Hello yyy')).toBe(true);
    expect(s.firstPrompt!.length).toBe(4096);
  });

  it('ignores sidechain lines in a session\'s own transcript, not in a subagent\'s', async () => {
    const side = (o: object): object => ({ ...o, isSidechain: true, agentId: 'a1' });
    const { s } = await readAll([{ ...ctxMsg('m1', 9000, 1), isSidechain: false }, side(ctxMsg('s1', 100, 2))]);
    expect(s).toMatchObject({ contextUsed: 9000, agentId: null, compactions: [] });
    const sub = await readAll([side(ctxMsg('s1', 100, 2)), side(ctxMsg('s2', 200, 3))]);
    expect(sub.s).toMatchObject({ contextUsed: 200, agentId: 'a1' });
  });

  it('starts over when the file is replaced', async () => {
    const { r, f } = await readAll([ctxMsg('m1', 1000), ctxMsg('m2', 2000), boundary(1, 'auto')]);
    writeFileSync(f + '.new', jsonl([ctxMsg('m9', 7)]));
    execFileSync('mv', [f + '.new', f]);
    expect(await r.poll()).toBe(true);
    expect(r.stats()).toMatchObject({ contextUsed: 7, tokensTotal: 8, compactions: [], lines: 1 });
  });

  it('reports a FIFO instead of reading it, and never hangs', async () => {
    dir = tempDir();
    const f = join(dir, 'fifo.jsonl');
    mkfifo(f);
    const r = new TranscriptReader(f);
    expect(await r.poll()).toBe(true);
    expect(r.stats().problem).toMatch(/not a regular file/);
    await expect(readHead(f)).rejects.toBeInstanceOf(UnreadableFileError);
  });
});

describe('projectDirName', () => {
  it.each([
    ['/home/dev/my_app', '-home-dev-my-app'],
    ['/home/dev/my.app/v2', '-home-dev-my-app-v2'],
    ['/Users/zoë/proj', '-Users-zo--proj'],
    ['/Users/zoe\u0308/proj', '-Users-zo--proj'], // NFD is normalized to NFC first: one character, one '-'
    ['/tmp/🚀x', '-tmp---x'], // an astral character is two UTF-16 units
    ['C:\\Users\\dev\\app', 'C--Users-dev-app'],
  ])('%s -> %s', (cwd, name) => {
    expect(projectDirName(cwd)).toBe(name);
  });

  it('keeps only the first 200 characters of a long path, and takes a safe override', () => {
    const long = '/' + 'a'.repeat(300);
    expect(projectDirName(long)).toBe('-' + 'a'.repeat(199));
    expect(projectDirName('/' + 'b'.repeat(199))).toHaveLength(200);
    expect(projectDirName('/x', 'my-project')).toBe('my-project');
    expect(projectDirName('/x', '../elsewhere')).toBe('-x');
    expect(projectDirName('/x', '')).toBe('-x');
  });

  it('finds a long path\'s directory by its prefix (the hash cannot be reproduced)', async () => {
    dir = tempDir();
    const long = '/work/' + 'deep/'.repeat(50) + 'app';
    const prefix = projectDirName(long);
    mkdirSync(join(dir, 'projects', `${prefix}-k3j2h1`), { recursive: true });
    mkdirSync(join(dir, 'projects', `${prefix.slice(0, -1)}x-k3j2h1`), { recursive: true });
    mkdirSync(join(dir, 'projects', '-home-dev-my-app'), { recursive: true });
    expect(await projectDirsFor(dir, long)).toEqual([join(dir, 'projects', `${prefix}-k3j2h1`)]);
    expect(await projectDirsFor(dir, '/home/dev/my_app')).toEqual([join(dir, 'projects', '-home-dev-my-app')]);
    expect(await projectDirsFor(dir, '/home/dev/other')).toEqual([]);
  });
});

const LEAD_SID = '11111111-aaaa-4bbb-8ccc-000000000001';

/** ~/.claude/projects/-home-dev-my-app with a lead session, tmux sessions and subagent files. */
function writeProject(claude: string): string {
  const p = join(claude, 'projects', '-home-dev-my-app');
  const subs = join(p, LEAD_SID, 'subagents');
  mkdirSync(subs, { recursive: true });
  const head = (sid: string, prompt: string, at: number, agentId?: string): string =>
    jsonl([{ ...userMsg(prompt, at), sessionId: sid, cwd: '/home/dev/my_app', ...(agentId ? { agentId, isSidechain: true } : {}) }, ctxMsg(`m-${sid}`, 1000 + at, at)]);
  writeFileSync(join(p, `${LEAD_SID}.jsonl`), head(LEAD_SID, 'Build a team', 0));
  writeFileSync(join(p, 'sess-tester.jsonl'), head('sess-tester', 'You are tester. Write the tests.', 20));
  writeFileSync(join(p, 'sess-old.jsonl'), head('sess-old', 'Something else entirely', -9000));
  writeFileSync(join(subs, 'agent-a1b2c3.jsonl'), head(LEAD_SID, 'Map the billing module and report to the lead.', 10, 'a1b2c3'));
  writeFileSync(join(subs, 'agent-a1b2c3.meta.json'), JSON.stringify({ agentType: 'general-purpose', description: 'Research billing' }));
  writeFileSync(join(subs, 'agent-acompact-9f.jsonl'), head(LEAD_SID, 'Summarize', 30, 'acompact-9f'));
  return p;
}

describe('findSessionTranscripts', () => {
  it('lists the lead, its subagents with their meta, and the other sessions; unreadable files are noted', async () => {
    dir = tempDir();
    const p = writeProject(dir);
    mkfifo(join(p, 'sess-fifo.jsonl'));
    symlinkSync(join(p, 'sess-tester.jsonl'), join(p, 'sess-link.jsonl'));
    const { candidates, notes } = await findSessionTranscripts(dir, '/home/dev/my_app', LEAD_SID);
    const byPath = new Map(candidates.map((c) => [c.path.slice(p.length + 1), c]));
    expect([...byPath.keys()].sort()).toEqual([`${LEAD_SID}.jsonl`, `${LEAD_SID}/subagents/agent-a1b2c3.jsonl`, 'sess-old.jsonl', 'sess-tester.jsonl']);
    expect(byPath.get(`${LEAD_SID}.jsonl`)).toMatchObject({ kind: 'lead', fileSessionId: LEAD_SID, head: { firstPrompt: 'Build a team', cwd: '/home/dev/my_app' } });
    expect(byPath.get(`${LEAD_SID}/subagents/agent-a1b2c3.jsonl`)).toMatchObject({
      kind: 'subagent', fileAgentId: 'a1b2c3', meta: { agentType: 'general-purpose' },
      head: { agentId: 'a1b2c3', sessionId: LEAD_SID, startedAt: T0 + 10_000, firstPrompt: 'Map the billing module and report to the lead.', complete: true },
    });
    expect(byPath.get('sess-tester.jsonl')).toMatchObject({ kind: 'session', fileSessionId: 'sess-tester', head: { sessionId: 'sess-tester', startedAt: T0 + 20_000 } });
    expect(notes.join('\n')).toMatch(/sess-fifo\.jsonl: is not a regular file/);
    expect(notes.join('\n')).toMatch(/sess-link\.jsonl: is a symbolic link/);
  });

  it('examines only the newest sessions, plus the lead and the session ids asked for', async () => {
    dir = tempDir();
    const p = writeProject(dir);
    for (const [i, name] of ['sess-old', 'sess-tester', `${LEAD_SID}`].entries()) utimesSync(join(p, `${name}.jsonl`), 1000 + i, 1000 + i);
    for (let i = 0; i < 3; i++) writeFileSync(join(p, `sess-new${i}.jsonl`), jsonl([ctxMsg('m', 1)]));
    const names = async (opts: { sessionIds?: string[] }) => (await findSessionTranscripts(dir, '/home/dev/my_app', LEAD_SID, { maxCandidates: 3, ...opts }))
      .candidates.filter((c) => c.kind !== 'subagent').map((c) => c.fileSessionId).sort();
    expect(await names({})).toEqual([LEAD_SID, 'sess-new0', 'sess-new1', 'sess-new2']);
    expect(await names({ sessionIds: ['sess-old'] })).toEqual([LEAD_SID, 'sess-new0', 'sess-new1', 'sess-new2', 'sess-old']);
  });

  it('reads only the head: a first prompt past the head limit is not found', async () => {
    dir = tempDir();
    const f = join(dir, 'big.jsonl');
    writeFileSync(f, jsonl([{ type: 'file-history-snapshot', snapshot: { blob: 'z'.repeat(70 * 1024) } }, userMsg('late prompt', 1), ...Array.from({ length: 500 }, () => ctxMsg('m', 5))]));
    expect(await readHead(f)).toMatchObject({ firstPrompt: null, complete: true });
    expect(await readHead(f, 200 * 1024)).toMatchObject({ firstPrompt: 'late prompt', startedAt: T0 + 1000 });
  });
});

function cand(path: string, o: Partial<TranscriptCandidate> & { prompt?: string; cwd?: string; startedAt?: number; agentId?: string } = {}): TranscriptCandidate {
  return {
    path, kind: o.kind ?? 'session', fileSessionId: o.fileSessionId ?? null, fileAgentId: o.fileAgentId ?? null, meta: o.meta ?? null, mtimeMs: o.mtimeMs ?? 0,
    head: { sessionId: null, agentId: o.agentId ?? null, cwd: o.cwd ?? null, startedAt: o.startedAt ?? null, firstPrompt: o.prompt ?? null, model: null, complete: true },
  };
}
const basisOf = (members: MemberInfo[], cands: TranscriptCandidate[]) => Object.fromEntries([...matchTranscripts(members, cands)].map(([n, m]) => [n, `${m.path} by ${m.basis}`]));

describe('matchTranscripts', () => {
  it('matches by session id first, even over a spawn prompt', () => {
    const cands = [cand('a.jsonl', { fileSessionId: 'sess-a', prompt: 'other' }), cand('b.jsonl', { fileSessionId: 'sess-b', prompt: 'Write the tests for billing' })];
    expect(basisOf([{ name: 'tester', sessionId: 'sess-a', prompt: 'Write the tests for billing' }], cands)).toEqual({ tester: 'a.jsonl by session id' });
  });

  it('matches by agent id: the file name, the part before @, the meta or the lines', () => {
    const cands = [
      cand('agent-a1b2c3.jsonl', { kind: 'subagent', fileAgentId: 'a1b2c3' }),
      cand('agent-researcher.jsonl', { kind: 'subagent', fileAgentId: 'researcher' }),
      cand('agent-x1.jsonl', { kind: 'subagent', fileAgentId: 'x1', meta: { agentId: 'writer@team' } }),
      cand('agent-x2.jsonl', { kind: 'subagent', fileAgentId: 'x2', agentId: 'qa@team' }),
    ];
    expect(basisOf([
      { name: 'a', agentId: 'a1b2c3' }, { name: 'researcher', agentId: 'researcher@team' }, { name: 'writer', agentId: 'writer@team' },
      { name: 'qa', agentId: 'qa@team' }, { name: 'nobody', agentId: 'b1b2c3' },
    ], cands)).toEqual({
      a: 'agent-a1b2c3.jsonl by agent id', researcher: 'agent-researcher.jsonl by agent id', writer: 'agent-x1.jsonl by agent id', qa: 'agent-x2.jsonl by agent id',
    });
  });

  it('matches by spawn prompt: the prompt contained in the first message, or the name as addressee', () => {
    const cands = [
      cand('p.jsonl', { prompt: '<teammate-message teammate_id="team-lead">\nMap   the billing module\nand report back.\n</teammate-message>' }),
      cand('n.jsonl', { prompt: 'You are **reviewer**, a careful code reviewer.' }),
      cand('m.jsonl', { prompt: 'Ask the writer for the summary when done.' }),
      cand('s.jsonl', { prompt: 'go on' }),
    ];
    expect(basisOf([
      { name: 'researcher', prompt: 'Map the billing module and report back.' }, { name: 'reviewer' }, { name: 'writer' }, { name: 'short', prompt: 'go' },
    ], cands)).toEqual({ researcher: 'p.jsonl by spawn prompt', reviewer: 'n.jsonl by spawn prompt' });
  });

  it('matches by cwd and a start within 2 minutes after joining', () => {
    const cands = [
      cand('late.jsonl', { cwd: '/w/app', startedAt: T0 + 180_000 }),
      cand('ok.jsonl', { cwd: '/w/app/', startedAt: T0 + 30_000 }),
      cand('early.jsonl', { cwd: '/w/app', startedAt: T0 - 60_000 }),
      cand('elsewhere.jsonl', { cwd: '/w/other', startedAt: T0 + 1000 }),
    ];
    expect(basisOf([{ name: 'a', cwd: '/w/app', joinedAt: T0 }], cands)).toEqual({ a: 'ok.jsonl by cwd and join time' });
    expect(basisOf([{ name: 'a', cwd: '/w/app', joinedAt: T0 }], [cands[0]!, cands[2]!, cands[3]!])).toEqual({});
  });

  it('never gives one transcript to two members: the strongest key wins, then the closest start', () => {
    const x = cand('x.jsonl', { kind: 'subagent', fileAgentId: 'b1', cwd: '/w', startedAt: T0 + 10_000 });
    expect(basisOf([{ name: 'byCwd', cwd: '/w', joinedAt: T0 }, { name: 'byAgent', agentId: 'b1@t' }], [x])).toEqual({ byAgent: 'x.jsonl by agent id' });
    const prompt = 'Review the migration scripts carefully.';
    const early = cand('early.jsonl', { prompt, startedAt: T0 + 5_000 });
    const later = cand('later.jsonl', { prompt, startedAt: T0 + 600_000 });
    expect(basisOf([{ name: 'second', prompt, joinedAt: T0 + 590_000 }, { name: 'first', prompt, joinedAt: T0 }], [later, early]))
      .toEqual({ first: 'early.jsonl by spawn prompt', second: 'later.jsonl by spawn prompt' });
    expect(basisOf([{ name: 'one', prompt, joinedAt: T0 }, { name: 'two', prompt, joinedAt: T0 + 20_000 }], [early])).toEqual({ one: 'early.jsonl by spawn prompt' });
  });

  it('keeps in-process teammates to subagent files, pane teammates to sessions, and the lead\'s file to the lead', () => {
    const sub = cand('sub.jsonl', { kind: 'subagent', cwd: '/w', startedAt: T0 + 1000 });
    const sess = cand('sess.jsonl', { kind: 'session', cwd: '/w', startedAt: T0 + 2000 });
    const lead = cand('lead.jsonl', { kind: 'lead', fileSessionId: 'L', cwd: '/w', startedAt: T0 + 500, prompt: 'You are pane' });
    expect(basisOf([
      { name: 'pane', backendType: 'tmux', cwd: '/w', joinedAt: T0 }, { name: 'inproc', tmuxPaneId: 'in-process', cwd: '/w', joinedAt: T0 },
    ], [lead, sess, sub])).toEqual({ pane: 'sess.jsonl by cwd and join time', inproc: 'sub.jsonl by cwd and join time' });
    expect(basisOf([{ name: 'lead', sessionId: 'L' }], [lead])).toEqual({ lead: 'lead.jsonl by session id' });
    // An in-process teammate carries its lead's session id: that is not its own transcript.
    expect(basisOf([{ name: 'inproc', backendType: 'in-process', sessionId: 'L', cwd: '/w', joinedAt: T0 }], [lead, sub]))
      .toEqual({ inproc: 'sub.jsonl by cwd and join time' });
  });
});

describe('TeamTranscripts', () => {
  it('locates, matches and tails a team\'s transcripts; relocates when due or asked', async () => {
    dir = tempDir();
    const p = writeProject(dir);
    let now = T0;
    const members: MemberInfo[] = [
      { name: 'team-lead', agentId: 'team-lead@t', tmuxPaneId: 'leader', cwd: '/home/dev/my_app', joinedAt: T0 },
      // In-process: the lead's session id it carries does not make it the lead.
      { name: 'researcher', agentId: 'researcher@t', backendType: 'in-process', sessionId: LEAD_SID, prompt: 'Map the billing module and report to the lead.', cwd: '/home/dev/my_app', joinedAt: T0 + 9000 },
      { name: 'tester', agentId: 'tester@t', backendType: 'tmux', sessionId: 'sess-tester', cwd: '/home/dev/my_app', joinedAt: T0 + 19_000 },
    ];
    const team = new TeamTranscripts(dir, { cwd: '/home/dev/my_app', leadSessionId: LEAD_SID, leadAgentId: 'team-lead@t', members }, { now: () => now });
    expect(await team.poll()).toBe(true);
    expect(team.statsFor(LEAD)).toMatchObject({ basis: 'session id', path: join(p, `${LEAD_SID}.jsonl`), contextUsed: 1000, firstPrompt: 'Build a team' });
    expect(team.statsFor('team-lead')?.path).toBe(join(p, `${LEAD_SID}.jsonl`));
    expect(team.statsFor('researcher')).toMatchObject({ basis: 'spawn prompt', agentId: 'a1b2c3', contextUsed: 1010 });
    expect(team.statsFor('tester')).toMatchObject({ basis: 'session id', contextUsed: 1020 });
    expect(team.statsFor('nobody')).toBeNull();
    expect(await team.poll()).toBe(false);

    appendFileSync(join(p, LEAD_SID, 'subagents', 'agent-a1b2c3.jsonl'), jsonl([assistant({ id: 'r2', usage: [5000, 1, 0, 0], tools: [['Read', { file_path: '/b.ts' }]], at: 40 })]));
    expect(await team.poll()).toBe(true);
    expect(team.statsFor('researcher')).toMatchObject({ contextUsed: 5000, lastTool: { tool: 'Read', arg: '/b.ts' } });

    // A teammate that joins later: found at the next location (at most every 10 s, or when asked).
    writeFileSync(join(p, 'sess-writer.jsonl'), jsonl([{ ...userMsg('You are writer. Document it.', 60), cwd: '/home/dev/my_app' }, ctxMsg('w1', 777, 61)]));
    const withWriter = [...members, { name: 'writer', backendType: 'tmux', cwd: '/home/dev/my_app', joinedAt: T0 + 59_000 }];
    now += 1000;
    expect(await team.poll()).toBe(false);
    expect(team.statsFor('writer')).toBeNull();
    team.update({ cwd: '/home/dev/my_app', leadSessionId: LEAD_SID, leadAgentId: 'team-lead@t', members: withWriter });
    expect(await team.poll()).toBe(true);
    expect(team.statsFor('writer')).toMatchObject({ basis: 'spawn prompt', contextUsed: 777 });
    expect(team.notes()).toEqual([]);
  });

  it('relocates on its own once the interval has passed, and notes unreadable files', async () => {
    dir = tempDir();
    const p = writeProject(dir);
    let now = T0;
    const members: MemberInfo[] = [{ name: 'late', backendType: 'tmux', sessionId: 'sess-late' }];
    const team = new TeamTranscripts(dir, { cwd: '/home/dev/my_app', leadSessionId: LEAD_SID, members }, { now: () => now, relocateMs: 10_000 });
    await team.poll();
    expect(team.statsFor('late')).toBeNull();
    writeFileSync(join(p, 'sess-late.jsonl'), jsonl([ctxMsg('l1', 4242)]));
    mkfifo(join(p, 'sess-pipe.jsonl'));
    now += 9_000;
    await team.poll();
    expect(team.statsFor('late')).toBeNull();
    now += 1_000;
    expect(await team.poll()).toBe(true);
    expect(team.statsFor('late')).toMatchObject({ basis: 'session id', contextUsed: 4242 });
    expect(team.notes().join('\n')).toMatch(/sess-pipe\.jsonl: is not a regular file/);
  });
});
