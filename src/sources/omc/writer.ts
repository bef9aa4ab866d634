// Carrying out the action layer's effects on an `omc team` team: omc's files change only through
// `omc team api` (messages, shutdown requests, a task's dependencies, releasing a claim), each
// write read back from omc's files before it counts as done; teamtop's own records (actions.jsonl,
// acknowledged alerts, the rollback journal) go to teamtop's state directory. Git effects are the
// shared ones, with .omc/ protected from the rollback. Without `omc` every effect on omc's files is
// refused, before anything is written, with what to install.
import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ApplyContext, Effect, EffectResult, RollbackJournal, Writer } from '../../ports/effects.js';
import { mkdirGuarded } from '../../files/write.js';
import { RecordsStore } from '../records.js';
import { readJsonFile } from '../../files/json.js';
import { assertSafeId } from '../../safety/ids.js';
import { applyGitEffect, checkGitEffect, isGitEffect } from '../../git/effects.js';
import { findOmc, OMC_MISSING, omcApi } from './api.js';
import { mailboxSchema, shutdownRequestSchema, taskSchema, type OmcTask } from './schemas.js';
import { gitTopOf, OMC_LEADER } from './names.js';

/** omc's names (contracts.js): teams, workers (and leader-fixed), task ids. */
const TEAM_NAME = /^[a-z0-9][a-z0-9-]{0,29}$/;
const WORKER = /^[a-z0-9][a-z0-9-]{0,63}$/;
const TASK_ID = /^\d{1,20}$/;

/**
 * Why `omc team api`, run in `project`, would not write this project's .omc/ (omc 5.5's
 * getOmcRoot: OMC_STATE_DIR first; in a git work tree <cwd>/.omc; elsewhere $HOME/.omc), or null.
 */
export function omcWritesElsewhere(project: string, env: NodeJS.ProcessEnv): string | null {
  if (env.OMC_STATE_DIR) return `OMC_STATE_DIR is set: omc would write under ${env.OMC_STATE_DIR}, not in ${project}/.omc`;
  if (gitTopOf(project) !== null) return null;
  const home = env.HOME ?? homedir();
  if (resolve(project) === resolve(home)) return null;
  return `${project} is not in a git repository: omc keeps such a project's state in ${join(home, '.omc')}, so \`omc team api\` would not change this team (git init the project, as omc team expects)`;
}

export interface OmcWriterOptions {
  /** The project directory (where `omc team api` runs and finds the team). */
  project: string;
  teamDir: string;
  /** teamtop's records: `base` is the directory nothing is written outside of. */
  records: { base: string; dir: string };
  /** The team's workers, for messages to all. */
  workers: string[];
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

type Rec = Record<string, unknown>;

/** A message's text for a worker: the payload's text, or the payload itself. */
function bodyOf(payload: unknown): string {
  if (typeof payload === 'string') return payload;
  const p = (payload && typeof payload === 'object' ? payload : {}) as Rec;
  if (typeof p.text === 'string') return p.text;
  if (typeof p.reason === 'string') return p.reason;
  return JSON.stringify(payload);
}

export class OmcWriter implements Writer {
  private omc: Promise<string | null> | null = null;
  private readonly now: () => number;

  constructor(private readonly team: string, private readonly o: OmcWriterOptions) {
    this.now = o.now ?? Date.now;
  }

  private get protectedDirs(): string[] {
    return [join(this.o.project, '.omc')];
  }

  private async requireOmc(): Promise<string> {
    this.omc ??= findOmc(this.o.env);
    const omc = await this.omc;
    if (!omc) throw new Error(OMC_MISSING);
    const elsewhere = omcWritesElsewhere(this.o.project, this.o.env ?? process.env);
    if (elsewhere) throw new Error(elsewhere);
    return omc;
  }

  private api(operation: string, input: Rec): Promise<Rec> {
    return this.requireOmc().then((omc) => omcApi(omc, this.o.project, operation, { team_name: this.team, ...input }, this.o.env));
  }

  private teamName(): string {
    assertSafeId('team', this.team);
    if (!TEAM_NAME.test(this.team)) throw new Error(`${JSON.stringify(this.team)} is not a team name omc accepts`);
    return this.team;
  }

  private recipients(to: string | string[]): string[] {
    const list = to === 'all' ? this.o.workers : Array.isArray(to) ? to : [to];
    if (list.length === 0) throw new Error(to === 'all' ? 'no worker to send to: config.json lists none (or could not be read)' : 'no recipient');
    for (const r of list) if (!WORKER.test(r)) throw new Error(`${JSON.stringify(r)} is not a worker name omc accepts`);
    return list;
  }

  private async readTask(id: string): Promise<OmcTask> {
    if (!TASK_ID.test(id)) throw new Error(`task ${JSON.stringify(id)}: not an omc task id`);
    const r = await readJsonFile(join(this.o.teamDir, 'tasks', `task-${id}.json`), taskSchema);
    if (!r.ok) throw new Error(`task ${id}: ${r.missing ? 'no such task file' : r.message}`);
    return r.value;
  }

  /**
   * teamtop's own records, in its state directory: the base is made (it is teamtop's) before any
   * check, the team's directory inside it before a write.
   */
  private readonly store = new RecordsStore(() => this.o.records, async () => { await mkdirGuarded(this.o.records.base, this.o.records.dir); }, () => this.now());

  private async baseReady(): Promise<void> {
    await fsp.mkdir(this.o.records.base, { recursive: true, mode: 0o700 });
  }

  async check(e: Effect, earlier: readonly Effect[] = []): Promise<void> {
    this.teamName();
    if (isGitEffect(e)) { await checkGitEffect(e, this.protectedDirs, earlier); return; }
    switch (e.kind) {
      case 'ack-alert':
        await this.baseReady();
        await this.store.checkAck();
        return;
      case 'append-message':
        this.recipients(e.message.to);
        await this.requireOmc();
        return;
      case 'update-task': {
        const { sequence: _s, status, ...other } = e.set ?? {};
        void _s;
        if (Object.keys(other).length > 0 || (status !== undefined && status !== 'pending')) {
          throw new Error('omc changes a task\'s owner and status only through its worker\'s claim (claim-task, transition-task-status, release-task-claim)');
        }
        const task = await this.readTask(e.taskId);
        if (status === 'pending' && task.status === 'in_progress' && !task.claim?.token) throw new Error(`task ${e.taskId} is in progress without a claim to release`);
        await this.requireOmc();
        return;
      }
      default:
        throw new Error(`${e.kind} cannot be expressed in an oh-my-claudecode team`);
    }
  }

  async apply(e: Effect, ctx: ApplyContext): Promise<EffectResult> {
    this.teamName();
    if (isGitEffect(e)) return applyGitEffect(e, ctx, this.protectedDirs);
    switch (e.kind) {
      case 'ack-alert': {
        await this.store.ack(e);
        return { effect: e.kind, detail: { alert: e.alertId } };
      }
      case 'append-message': {
        const to = this.recipients(e.message.to);
        if (e.message.type === 'shutdown_request') {
          for (const w of to) {
            const asked = new Date(this.now() - 1000).toISOString();
            await this.api('write-shutdown-request', { worker: w, requested_by: OMC_LEADER });
            await this.confirmShutdown(w, asked);
          }
          return { effect: e.kind, detail: { shutdown_requests: to } };
        }
        const ids: string[] = [];
        for (const w of to) {
          const data = await this.api('send-message', { from_worker: OMC_LEADER, to_worker: w, body: bodyOf(e.message.payload) });
          const id = String((data.message as Rec | undefined)?.message_id ?? '');
          await this.confirmMessage(w, id);
          ids.push(id);
        }
        return { effect: e.kind, detail: { recipients: to, message_ids: ids } };
      }
      case 'update-task': {
        const task = await this.readTask(e.taskId);
        if (e.removeDependency) {
          const deps = [...new Set([...(task.blocked_by ?? []), ...(task.depends_on ?? [])])].filter((d) => d !== e.removeDependency);
          await this.api('update-task', { task_id: e.taskId, blocked_by: deps });
          const after = await this.readTask(e.taskId);
          if ([...(after.blocked_by ?? []), ...(after.depends_on ?? [])].includes(e.removeDependency)) {
            throw new Error(`omc answered, but task ${e.taskId} still waits on ${e.removeDependency} in its file`);
          }
        }
        if (e.set?.status === 'pending' && task.status === 'in_progress' && task.claim?.token) {
          await this.api('release-task-claim', { task_id: e.taskId, claim_token: task.claim.token, worker: task.claim.owner ?? task.owner ?? '' });
          const after = await this.readTask(e.taskId);
          if (after.status !== 'pending') throw new Error(`omc answered, but task ${e.taskId} is ${after.status} in its file`);
        }
        return { effect: e.kind, detail: { task: e.taskId } };
      }
      default:
        throw new Error(`${e.kind} cannot be expressed in an oh-my-claudecode team`);
    }
  }

  /** A shutdown request is in the worker's file, from the leader, made by this action. */
  private async confirmShutdown(worker: string, notBefore: string): Promise<void> {
    const r = await readJsonFile(join(this.o.teamDir, 'workers', worker, 'shutdown-request.json'), shutdownRequestSchema);
    const at = r.ok ? Date.parse(r.value.requested_at ?? '') : NaN;
    if (!r.ok || r.value.requested_by !== OMC_LEADER || !(at >= Date.parse(notBefore))) {
      throw new Error(`omc answered, but workers/${worker}/shutdown-request.json does not hold this request`);
    }
  }

  /** A sent message is in the recipient's mailbox file, as omc's own readers will see it. */
  private async confirmMessage(worker: string, id: string): Promise<void> {
    const r = await readJsonFile(join(this.o.teamDir, 'mailbox', `${worker}.json`), mailboxSchema);
    if (!id || !r.ok || !r.value.messages.some((m) => m.message_id === id)) {
      throw new Error(`omc answered, but the message to ${worker} is not in mailbox/${worker}.json`);
    }
  }

  record(entry: Rec): Promise<void> {
    return this.store.record(entry);
  }

  async checkRecord(journal = false): Promise<void> {
    this.teamName();
    await this.baseReady();
    await this.store.checkRecord(journal);
  }

  writeRollback(r: RollbackJournal): Promise<void> {
    return this.store.writeRollback(r);
  }
}
