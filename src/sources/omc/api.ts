// `omc team api <operation> --input <json> --json`: the supported way for another program to change
// an omc team's state (it takes omc's locks and queues the worker's pane notification, which a raw
// file write would not). Run without a shell, in the project directory, one JSON envelope back.
import { execFile } from 'node:child_process';
import { constants, promises as fsp } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { oneLine } from '../../safety/sanitize.js';

/** What to install when `omc` is missing. */
export const OMC_MISSING = 'the `omc` command is not on PATH: install oh-my-claudecode (npm install -g oh-my-claude-sisyphus) to act on this team; reading it works without it';

/** The `omc` executable: TEAMTOP_OMC when set (an absolute path), else the first on PATH. */
export async function findOmc(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const candidates = env.TEAMTOP_OMC
    ? [env.TEAMTOP_OMC]
    : (env.PATH ?? '').split(delimiter).filter((d) => isAbsolute(d)).map((d) => join(d, 'omc'));
  for (const c of candidates) {
    try {
      await fsp.access(c, constants.X_OK);
      if ((await fsp.stat(c)).isFile()) return c;
    } catch {
      // not this one
    }
  }
  return null;
}

/** An operation omc refused or could not do; `code` is omc's error code. */
export class OmcApiError extends Error {
  constructor(readonly operation: string, readonly code: string, message: string) {
    super(`omc team api ${operation}: ${oneLine(message).slice(0, 300)}${code ? ` (${code})` : ''}`);
    this.name = 'OmcApiError';
  }
}

const TIMEOUT_MS = 30_000;

/**
 * Runs one operation; resolves with its `data`. Rejects with an OmcApiError when omc says the
 * operation failed, including the domain failures it reports inside `data` (`{ok: false, error}`).
 */
export function omcApi(omc: string, project: string, operation: string, input: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(omc, ['team', 'api', operation, '--input', JSON.stringify(input), '--json'], { cwd: project, env, timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      const line = String(stdout).trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
      type Envelope = { ok?: unknown; data?: unknown; error?: { code?: unknown; message?: unknown } };
      let envelope: Envelope | null;
      try {
        envelope = line ? (JSON.parse(line) as Envelope) : null;
      } catch {
        envelope = null;
      }
      if (!envelope || typeof envelope !== 'object') {
        const why = (err as NodeJS.ErrnoException | null)?.code === 'ETIMEDOUT' || (err as { killed?: boolean } | null)?.killed
          ? `no answer in ${TIMEOUT_MS / 1000} s`
          : String(stderr).trim().split('\n').at(-1) || err?.message || 'no JSON answer';
        reject(new OmcApiError(operation, '', why));
        return;
      }
      if (envelope.ok !== true) {
        reject(new OmcApiError(operation, String(envelope.error?.code ?? ''), String(envelope.error?.message ?? 'failed')));
        return;
      }
      const data = (envelope.data && typeof envelope.data === 'object' ? envelope.data : {}) as Record<string, unknown>;
      if (data.ok === false) {
        reject(new OmcApiError(operation, String(data.error ?? ''), `refused: ${String(data.error ?? 'failed')}`));
        return;
      }
      resolve(data);
    });
  });
}
