// What a Claude Code transcript says about its agent, kept as aggregates only: a transcript grows
// to tens of megabytes, so no line is kept once it has been folded in. The format is unofficial:
// every field may be missing or of another type, and a line that is not a JSON object is counted
// and skipped, never fatal.
import type { LineSink } from '../../jsonl-tail.js';
import { toMs } from '../../../model/time.js';
import { contentText, count, isObj, keep, str, toolArg, type Obj } from './text.js';

/** The newest tool call: its name, a short argument (unsanitized) and when it was made. */
export interface ToolCall {
  tool: string;
  arg: string;
  at: number | null;
}

/**
 * A compaction of the context: a compact_boundary record ('boundary'; `before` is its preTokens, or
 * the last context seen when it has none; `after` the context of the next assistant message), or a drop of more than 20% in the context
 * between two consecutive assistant messages with no boundary between them ('drop').
 */
export interface Compaction {
  at: number | null;
  trigger: 'boundary' | 'drop';
  before: number | null;
  after: number | null;
  /** A boundary's own trigger ('manual' for /compact, 'auto'), when it says. */
  how?: 'manual' | 'auto' | null;
}

export interface TranscriptStats {
  /** The model of the newest assistant message (null before the first). */
  model: string | null;
  /**
   * Tokens in the context at the newest assistant message with usage: input + cache creation +
   * cache read (the whole prompt it was sent).
   */
  contextUsed: number | null;
  /**
   * Tokens used so far: per assistant message, input + cache creation + output. Cache reads are
   * left out: they re-read context already counted when it was written. A message streamed as
   * several lines (same message.id, growing usage) counts once, with its last usage; the ids are
   * remembered for the last MESSAGE_IDS_KEPT messages only, so a duplicate arriving later than
   * that would count again.
   */
  tokensTotal: number;
  lastTool: ToolCall | null;
  /** The newest timestamp of any line. */
  lastActivity: number | null;
  /** The first timestamp in the file. */
  startedAt: number | null;
  /** Identity, as first seen in the file. */
  sessionId: string | null;
  cwd: string | null;
  agentId: string | null;
  /** The text of the first user message (a subagent's spawn prompt), capped at FIRST_PROMPT_MAX. */
  firstPrompt: string | null;
  /** The last COMPACTIONS_KEPT compactions, oldest first. */
  compactions: Compaction[];
  /** Complete lines read, lines that were not JSON objects, lines skipped as oversized. */
  lines: number;
  badLines: number;
  skippedLines: number;
  /** Why the file cannot be read right now (a FIFO, a symbolic link…), or null. */
  problem: string | null;
}

export const FIRST_PROMPT_MAX = 4096;
export const COMPACTIONS_KEPT = 50;
export const MESSAGE_IDS_KEPT = 1000;
/** A context smaller than this share of the previous one, with no boundary between, is a compaction. */
const DROP_RATIO = 0.8;
/** Identity fields longer than this are junk; they are cut, never kept whole. */
const FIELD_MAX = 1024;

/** Folds transcript lines into TranscriptStats; a LineSink for JsonlTail. */
export class TranscriptAggregate implements LineSink {
  private s: TranscriptStats = emptyStats();
  /** Tokens counted per recent message id (insertion order = age, for eviction). */
  private counted = new Map<string, number>();
  /** The message id the current contextUsed came from (streamed lines of one message are no drop). */
  private contextId: string | null = null;
  /** A boundary was seen since the last assistant context: a drop after it is explained. */
  private boundaryPending: Compaction | null = null;
  /**
   * A line off the sidechain was seen: this is a session's own transcript, and sidechain lines in
   * it (older versions wrote subagents into their parent's file) are another agent's. A subagent's
   * own file has only sidechain lines, all of them its own.
   */
  private mainChain = false;

  line(text: string): void {
    if (text.trim() === '') return;
    this.s.lines++;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      this.s.badLines++;
      return;
    }
    if (!isObj(v)) {
      this.s.badLines++;
      return;
    }
    this.fold(v);
  }

  oversized(): void {
    this.s.skippedLines++;
  }

  reset(): void {
    const problem = this.s.problem;
    this.s = emptyStats();
    this.s.problem = problem;
    this.counted.clear();
    this.contextId = null;
    this.boundaryPending = null;
    this.mainChain = false;
  }

  problem(message: string | null): void {
    this.s.problem = message;
  }

  /** A copy of the aggregates (safe to keep: later lines do not change it). */
  stats(): TranscriptStats {
    return {
      ...this.s,
      lastTool: this.s.lastTool && { ...this.s.lastTool },
      compactions: this.s.compactions.map((c) => ({ ...c })),
    };
  }

  /** Whether identity, start and first prompt are all known (a head read can stop). */
  get headComplete(): boolean {
    return this.s.firstPrompt !== null && this.s.startedAt !== null && this.s.sessionId !== null && this.s.cwd !== null;
  }

  private fold(v: Obj): void {
    const at = typeof v.timestamp === 'string' ? toMs(v.timestamp) : null;
    if (at !== null) {
      this.s.startedAt ??= at;
      if (this.s.lastActivity === null || at > this.s.lastActivity) this.s.lastActivity = at;
    }
    if (v.isSidechain === false) this.mainChain = true;
    else if (v.isSidechain === true && this.mainChain) return;
    this.s.sessionId ??= field(v.sessionId);
    this.s.cwd ??= field(v.cwd);
    this.s.agentId ??= field(v.agentId);
    if (v.type === 'assistant') this.assistant(v, at);
    else if (v.type === 'user') this.user(v);
    else if (v.type === 'system' && v.subtype === 'compact_boundary') this.boundary(v, at);
  }

  private assistant(v: Obj, at: number | null): void {
    const msg = v.message;
    if (!isObj(msg)) return;
    // API errors and "No response requested." are written as assistant messages of the model
    // "<synthetic>" with zero usage: they say nothing about the model or the context.
    if (msg.model === '<synthetic>' || v.isApiErrorMessage === true) return;
    const model = field(msg.model);
    if (model !== null) this.s.model = model;
    if (Array.isArray(msg.content)) {
      for (let i = msg.content.length - 1; i >= 0; i--) {
        const b: unknown = msg.content[i];
        if (isObj(b) && b.type === 'tool_use' && typeof b.name === 'string' && b.name !== '') {
          this.s.lastTool = { tool: keep(b.name, FIELD_MAX), arg: toolArg(b.name, b.input), at };
          break;
        }
      }
    }
    if (!isObj(msg.usage)) return;
    const u = msg.usage;
    const input = count(u.input_tokens);
    const created = count(u.cache_creation_input_tokens);
    const read = count(u.cache_read_input_tokens);
    const id = field(msg.id);
    this.countTokens(id, input + created + count(u.output_tokens));
    const context = input + created + read;
    if (context === 0) return;
    const prev = this.s.contextUsed;
    const sameMessage = id !== null && id === this.contextId;
    if (!sameMessage && this.boundaryPending === null && prev !== null && context < prev * DROP_RATIO) {
      this.addCompaction({ at, trigger: 'drop', before: prev, after: context });
    }
    if (this.boundaryPending !== null) {
      this.boundaryPending.after = context;
      this.boundaryPending = null;
    }
    this.s.contextUsed = context;
    this.contextId = id;
  }

  /** Adds a message's tokens, replacing what an earlier line of the same message counted. */
  private countTokens(id: string | null, tokens: number): void {
    if (id === null) {
      this.s.tokensTotal += tokens;
      return;
    }
    const before = this.counted.get(id);
    if (before !== undefined) this.counted.delete(id);
    this.s.tokensTotal += tokens - (before ?? 0);
    this.counted.set(id, tokens);
    if (this.counted.size > MESSAGE_IDS_KEPT) {
      const oldest = this.counted.keys().next().value;
      if (oldest !== undefined) this.counted.delete(oldest);
    }
  }

  private user(v: Obj): void {
    if (this.s.firstPrompt !== null) return;
    // Harness notes (isMeta) and the summary written after a compaction are not prompts.
    if (v.isMeta === true || v.isCompactSummary === true) return;
    const msg = v.message;
    if (!isObj(msg)) return;
    const text = contentText(msg.content, FIRST_PROMPT_MAX);
    if (text.trim() !== '') this.s.firstPrompt = text;
  }

  private boundary(v: Obj, at: number | null): void {
    const meta = isObj(v.compactMetadata) ? v.compactMetadata : {};
    const pre = typeof meta.preTokens === 'number' && Number.isFinite(meta.preTokens) && meta.preTokens >= 0 ? meta.preTokens : null;
    const how = meta.trigger === 'manual' || meta.trigger === 'auto' ? meta.trigger : null;
    const c: Compaction = { at, trigger: 'boundary', before: pre ?? this.s.contextUsed, after: null, how };
    this.addCompaction(c);
    this.boundaryPending = c;
  }

  private addCompaction(c: Compaction): void {
    this.s.compactions.push(c);
    if (this.s.compactions.length > COMPACTIONS_KEPT) this.s.compactions.shift();
  }
}

function field(v: unknown): string | null {
  const s = str(v);
  return s === null ? null : keep(s, FIELD_MAX);
}

function emptyStats(): TranscriptStats {
  return {
    model: null, contextUsed: null, tokensTotal: 0, lastTool: null, lastActivity: null, startedAt: null,
    sessionId: null, cwd: null, agentId: null, firstPrompt: null, compactions: [],
    lines: 0, badLines: 0, skippedLines: 0, problem: null,
  };
}
