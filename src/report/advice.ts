// Prevention advice per alert kind, for the post-mortem's recommendations. Drawn from the seed
// documents' prevention sections and checklists (the failure-mode catalogue and the debugging
// guide), reworded; one entry for every kind the detectors raise.
import { ALERT_KINDS } from '../alerts/index.js';

export type AdviceCategory = 'Process' | 'Communication' | 'Monitoring' | 'Tooling';

export interface Advice {
  /** What kind of fix this is (the post-mortem's findings use it as their category). */
  category: AdviceCategory;
  /** What the failure usually means, in one line. */
  meaning: string;
  /** What to do before the next team so it does not happen again. */
  recommendations: string[];
}

const SILENCE: string[] = [
  'Give every long task an expected duration and ask the teammate to tell the lead when it runs over (e.g. "the benchmark should finish within 30 min; report if it does not").',
  'Check in on in-progress teammates every 1–2 hours instead of waiting for the final report: ask "how is it going, any blockers?" and escalate after 30 min without an answer.',
  'Have teammates write checkpoints often (last action, next step, completion) so a wake-up or a handover resumes from them instead of from scratch.',
];

export const ADVICE: Readonly<Record<string, Advice>> = {
  'teammate-idle': {
    category: 'Monitoring',
    meaning: 'a teammate stopped reporting for 10–30 minutes: stuck in research, a hung local build, or lost connectivity',
    recommendations: [
      ...SILENCE,
      'When a teammate goes quiet, send a specific question with a short deadline (about 10 minutes) rather than a generic ping.',
    ],
  },
  'teammate-stale': {
    category: 'Monitoring',
    meaning: 'no sign of life for 30–60 minutes: the teammate has probably crashed',
    recommendations: [
      ...SILENCE,
      'Add a PostToolUseFailure hook that records the error and retry information, so a crash leaves evidence instead of silence.',
      'Decide beforehand who takes over each task if its owner goes stale, so reassignment (with a checkpoint) is quick.',
    ],
  },
  'teammate-dead': {
    category: 'Process',
    meaning: 'no sign of life for over an hour: the teammate will not come back by itself',
    recommendations: [
      'Set task timeouts and reassign with a checkpoint as soon as a teammate passes the stale bracket, instead of waiting for it.',
      'Add a PostToolUseFailure hook that captures the error context and retry information.',
      'Ask teammates to commit and checkpoint their work in progress regularly so a reassignment loses little.',
      'Check in on long-running teammates every 1–2 hours.',
    ],
  },
  'context-high': {
    category: 'Process',
    meaning: 'a teammate has used most of its context window and will compact or exhaust soon',
    recommendations: [
      'Size tasks so one fits comfortably in a context window; split research-heavy tasks.',
      'Keep MEMORY.md and the teammate\'s status file current (branch, findings, numbers) so nothing important lives only in the context.',
      'Configure a PreCompact hook that snapshots the teammate\'s state before compaction.',
    ],
  },
  'context-exhausted': {
    category: 'Process',
    meaning: 'the context window is nearly full: the teammate becomes unresponsive or loses its work',
    recommendations: [
      'Reassign with a checkpoint before the window is full (from about 95%), rather than after the teammate stops answering.',
      'Split large tasks so no single teammate needs its whole context for one of them.',
      'Configure a PreCompact hook to snapshot state and a SessionStart hook to restore it after compaction.',
      'Keep findings in MEMORY.md / status files, not only in the conversation.',
    ],
  },
  'message-unacked': {
    category: 'Communication',
    meaning: 'messages that needed an answer were not acknowledged in time',
    recommendations: [
      'Ask for an acknowledgement explicitly, with a timeout, on every message that needs one; resend once, then escalate to a wake-up.',
      'Watch the mailbox for missing acknowledgements (an alert after about a minute without any ACK) instead of noticing when work stalls.',
      'When the messages keep going unanswered, check the recipient\'s heartbeat before resending again: it may have crashed.',
    ],
  },
  'sequence-gap': {
    category: 'Tooling',
    meaning: 'sequence numbers are missing from the mailbox: messages were lost or never written',
    recommendations: [
      'Allocate message sequences under the mailbox lock (one writer at a time) so numbers are never skipped or reused.',
      'Write each message as one appended line in a single write, so a crash cannot leave half a message.',
      'Resend the missing range as soon as a gap appears and ask for acknowledgements to confirm delivery.',
    ],
  },
  'not-processing': {
    category: 'Process',
    meaning: 'the teammate is alive but its messages pile up unread: stuck on its task or a hung local build',
    recommendations: [
      'Keep tasks small enough that a teammate returns to its inbox between steps.',
      'Give local builds and tools a timeout so a hung command cannot hold a teammate for an hour.',
      'For long tasks, ask for milestone updates ("benchmark started, ETA 1 hour").',
    ],
  },
  'dependency-cycle': {
    category: 'Process',
    meaning: 'tasks wait on each other in a loop: none of them can ever start',
    recommendations: [
      'Validate the task graph when tasks are created with a TaskCreated hook (`teamtop check --only dependency-cycle` refuses a cycle).',
      'Define dependencies as a linear chain for work that is really sequential (a single optimisation is one chain), and pick team structures that are known to work.',
      'Always declare dependencies when creating tasks, and check them before the team forms: a cycle has to be broken at formation, later recovery is expensive.',
      'When two tasks need each other\'s output, move the shared contract into a Task#0 that both depend on.',
    ],
  },
  deadlock: {
    category: 'Process',
    meaning: 'every unfinished task is blocked or waiting and nothing is in progress',
    recommendations: [
      'Check at formation that at least one task can start and that the dependency graph has no cycle (TaskCreated hook, `teamtop check --only dependency-cycle,deadlock`).',
      'Review blocked tasks at every check-in and break a stalemate early with a lead override.',
      'Prefer a linear chain or a contract-first Task#0 over tasks that wait on each other.',
    ],
  },
  'task-stuck': {
    category: 'Monitoring',
    meaning: 'an in-progress task has had no update for hours: a silent failure or an endless loop',
    recommendations: [
      'Give each task a definition of done (a deliverables checklist) and an expected duration.',
      'Check the task list every 30–60 minutes during long-running work and ask for mid-task updates.',
      'Split tasks that are expected to run for more than about two hours.',
    ],
  },
  'team-stalled': {
    category: 'Process',
    meaning: 'the whole team made no progress for hours',
    recommendations: [
      'Split work that cannot show progress within two hours into smaller tasks, and reassign or escalate when it stalls.',
      'Set the expectation up front that the lead checks in every hour, and keep the lead engaged: do not create tasks and disappear for hours.',
      'Use the monitoring routine every 1–2 hours: recent updates on every in-progress task, nobody stuck, nobody waiting on a lead decision.',
    ],
  },
  'lead-offline': {
    category: 'Process',
    meaning: 'the lead stopped reporting: teammates are working without coordination',
    recommendations: [
      'Keep the lead engaged for the whole session; halt the team before the lead leaves.',
      'Make sure teammates checkpoint so they can continue, or stop cleanly, while the lead is away.',
      'Schedule check-ins (every 1–2 hours) so an absent lead is noticed quickly.',
    ],
  },
  'hook-violation': {
    category: 'Tooling',
    meaning: 'committed code broke a project rule (a stub, a mock, an empty return)',
    recommendations: [
      'Have teammates run the same validation hooks locally before every commit, not only at consolidation.',
      'State the code rules (no stubs, no placeholder returns) in every task brief.',
      'When a violation appears, give the author a short deadline (about 10 minutes) to fix and re-run the checks, then reassign.',
    ],
  },
  'consolidation-failure': {
    category: 'Process',
    meaning: 'every teammate reported green but the combined build failed: incompatible assumptions about a shared interface',
    recommendations: [
      'Agree the interface contract before parallel work starts (a Task#0 owned by the lead or the schema teammate), and have every teammate that uses it sign off.',
      'Add a mid-phase checkpoint at about 50% completion where teammates compare their API assumptions.',
      'State task dependencies explicitly in assignment messages ("Task#1\'s output is Task#2\'s input; agree the interface with tm_schema").',
      'Order tightly coupled work (schema then engine) sequentially, contract first, instead of in parallel.',
    ],
  },
  'network-partition': {
    category: 'Communication',
    meaning: 'messages to several teammates timed out at once: a delivery problem rather than one silent teammate',
    recommendations: [
      'Retry with exponential backoff before escalating, and confirm delivery with acknowledgements.',
      'Check every affected teammate\'s heartbeat to tell a delivery problem from crashed teammates.',
      'Keep the mailbox on storage every teammate reliably shares.',
    ],
  },
  'stale-result': {
    category: 'Communication',
    meaning: 'requirements changed after a task was completed: its result may be out of date',
    recommendations: [
      'Tell the affected teammates immediately when requirements change, and update the task itself.',
      'Set the expectation up front that the lead checks the task list every hour for in-progress work.',
      'Keep the lead engaged and ask for milestone updates on long tasks, so changes reach work before it is finished.',
    ],
  },
  'lead-implementing': {
    category: 'Process',
    meaning: 'the lead is implementing instead of coordinating, so parallelism is lost',
    recommendations: [
      'Make the lead\'s role explicit: coordinate and review, not code.',
      'Add a Stop hook that keeps the lead from taking implementation work; move such work into a task for a teammate.',
      'Review the failure modes before starting a team session.',
    ],
  },
  'ambiguous-done': {
    category: 'Process',
    meaning: 'a task has no clear definition of done, so it never finishes or finishes incomplete',
    recommendations: [
      'Create every task with a deliverables checklist.',
      'Validate completion with a TaskCompleted hook before accepting it.',
      'Define scope boundaries in the task ("does X, not Y") to prevent scope creep.',
    ],
  },
  'context-lost-after-compaction': {
    category: 'Tooling',
    meaning: 'a teammate compacted without a recent checkpoint and may have lost its branch, findings or results',
    recommendations: [
      'Configure a PreCompact hook that snapshots the teammate\'s state before compaction.',
      'Configure a SessionStart hook that injects the current status after compaction.',
      'Keep MEMORY.md and the teammate\'s status file updated with the current branch and findings as work goes, not only at handoff.',
      'Adjust the compaction instructions to preserve numbers, branch state and findings.',
    ],
  },
  'teammate-failed': {
    category: 'Tooling',
    meaning: 'a teammate stopped on an error and will not resume by itself',
    recommendations: [
      'Add a PostToolUseFailure hook that records the error context and retry information.',
      'Reassign the failed teammate\'s task promptly; wake it to retry only when the cause was transient.',
      'Keep tasks and checkpoints small so a failure loses little work.',
    ],
  },
  'awaiting-approval': {
    category: 'Process',
    meaning: 'a teammate asked the lead for permission (a tool call, network access, a plan) and waited, blocked, for the answer',
    recommendations: [
      'Keep the lead\'s session in view (a tmux split beside teamtop): teammate permission prompts appear there and nowhere else.',
      'Allow the commands a teammate routinely needs in the project\'s permission settings before the team starts, so fewer prompts block.',
      'Have teammates that wait on an approval say so in a message, and reassign the task when the lead cannot answer soon.',
    ],
  },
  'rollback-interrupted': {
    category: 'Tooling',
    meaning: 'an abort or undo-abort stopped half way, leaving the work tree partly rolled back',
    recommendations: [
      'Complete it (abort again) or undo it (undo-abort restores the state from before the first attempt); both first save the work tree as it is.',
      'Do not run git commands in the repository while a rollback is in progress.',
      'Run aborts from a terminal that stays open (a tmux pane), not from a session that may be killed.',
    ],
  },
  'invalid-state': {
    category: 'Tooling',
    meaning: 'a state file or line could not be read, or an id is unsafe or refers to nothing',
    recommendations: [
      'Write whole JSON files atomically (temporary file, then rename) and append log lines with a single write.',
      'Use safe ids (no path separators, spaces or shell characters) for teams, teammates and tasks.',
      'Run `teamtop check` from a hook or CI to catch unreadable files and dangling dependencies early.',
    ],
  },
};

/** Team-wide practices from the pre-formation checklist, for every post-mortem. */
export const GENERAL_ADVICE: readonly string[] = [
  'Keep teams to 2–5 teammates; more costs more coordination than it saves.',
  'Give each task at least 30 minutes of work; if the whole job is shorter, use a single session.',
  'For cross-layer work, publish the interface contract before teammates start and schedule a check at 50% completion.',
];

/** The advice for a kind (a generic entry for a kind this table does not know). */
export function adviceFor(kind: string): Advice {
  return ADVICE[kind] ?? {
    category: 'Process',
    meaning: 'an alert teamtop raised',
    recommendations: ['Review the evidence and add a check that catches this condition earlier.'],
  };
}

/** Kinds the detectors raise that have no advice (empty when the table is complete). */
export function kindsWithoutAdvice(): string[] {
  return [...ALERT_KINDS, 'teammate-failed'].filter((k) => !(k in ADVICE));
}
