// Claude Code transcripts (~/.claude/projects/…/*.jsonl): locating a team's, matching them to its
// members, and tailing each into aggregates (model, context, tokens, last tool, compactions).
export { COMPACTIONS_KEPT, FIRST_PROMPT_MAX, MESSAGE_IDS_KEPT, TranscriptAggregate, type Compaction, type ToolCall, type TranscriptStats } from './aggregate.js';
export { HEAD_MAX_BYTES, readHead, type TranscriptHead } from './head.js';
export {
  findSessionTranscripts, HeadCache, MAX_CANDIDATES, PROJECT_DIR_NAME_MAX, projectDirName, projectDirsFor,
  type Located, type LocateOptions, type TranscriptCandidate,
} from './locate.js';
export { matchTranscripts, type MatchBasis, type MemberInfo, type TranscriptMatch } from './match.js';
export { TranscriptReader } from './reader.js';
export { LEAD, TeamTranscripts, type MemberTranscript, type TeamTranscriptConfig, type TeamTranscriptOptions } from './team.js';
export { TOOL_ARG_MAX, toolArg } from './text.js';
