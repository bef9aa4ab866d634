// Post-mortem features: the action log, the replayed alert history, the timeline, the report and
// lessons capture. See each module.
export { ACTIONS_FILE, actionsFileOf, parseActionLine, readActionLog, readActions, type ActionLog, type ActionRecord } from './actions-log.js';
export { alertHistory, evaluationTimes, spanKey, MAX_EVALUATIONS, MERGE_WINDOW_MS, type AlertSpan, type ReplayOptions } from './replay.js';
export { addressedBy, mentions } from './addressed.js';
export { alertTeammates, buildTimeline, filterTimeline, type TimelineEntry, type TimelineKind } from './timeline.js';
export { ADVICE, GENERAL_ADVICE, adviceFor, kindsWithoutAdvice, type Advice, type AdviceCategory } from './advice.js';
export { buildSummary, renderPostmortem, renderTimeline } from './render.js';
export { md, topAlert, type ReportInput } from './markdown.js';
export { reportDirName, writePostmortem, type PostmortemOptions, type PostmortemResult } from './postmortem.js';
export { appendLesson, formatLesson, isLessonDate, today, LESSONS_FILE, type Lesson } from './lessons.js';
