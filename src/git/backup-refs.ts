// Finding a team's backups: refs/teamtop/backup/<team>-<YYYYMMDDTHHMMSSZ>, matched exactly (so "web"
// never takes "web-ui-…"'s), newest first, skipping any backup that records another team.
import { idProblem, UnsafeIdError } from '../safety/ids.js';
import { text, type GitContext } from './run.js';
import { teamOfTrailers } from './backup.js';

export const BACKUP_REF_PREFIX = 'refs/teamtop/backup/';
const STAMP = /^\d{8}T\d{6}Z$/;

/** Whether `ref` names one of team `teamId`'s backups exactly. */
export function isBackupRefOf(ref: string, teamId: string): boolean {
  const want = `${BACKUP_REF_PREFIX}${teamId}-`;
  return ref.startsWith(want) && STAMP.test(ref.slice(want.length));
}

/** Every ref under refs/teamtop/backup/ with when it was taken and the team it records. */
async function backupRows(g: GitContext): Promise<Array<{ refname: string; at: number; team: string | null }>> {
  const r = await g.run([
    'for-each-ref',
    '--format=%(refname)%00%(committerdate:unix)%00%(contents:trailers:only,unfold,separator=%x1F)',
    '--end-of-options',
    BACKUP_REF_PREFIX,
  ]);
  return text(r).split('\n').filter((l) => l !== '').map((l) => {
    const [refname = '', unix = '0', trailers = ''] = l.split('\0');
    const t = new Map<string, string>();
    for (const kv of trailers.split('\x1f')) {
      const m = /^teamtop-([a-z-]+): (.*)$/.exec(kv);
      if (m) t.set(m[1]!, m[2]!);
    }
    // Committer dates have one-second resolution; the teamtop-time trailer has milliseconds.
    const precise = Date.parse(t.get('time') ?? '');
    return { refname, at: Number.isFinite(precise) ? precise : Number(unix) * 1000, team: teamOfTrailers((k) => t.get(k)) };
  });
}

/** The backups of team `teamId`, newest first. */
export async function backupsOfTeam(g: GitContext, teamId: string): Promise<string[]> {
  const p = idProblem(teamId);
  if (p) throw new UnsafeIdError('team id', teamId, p);
  const want = `${BACKUP_REF_PREFIX}${teamId}-`;
  const rows = (await backupRows(g)).filter((x) => isBackupRefOf(x.refname, teamId) && (x.team === null || x.team === teamId));
  const stamp = (x: { refname: string }): string => x.refname.slice(want.length);
  rows.sort((a, b) => (stamp(a) < stamp(b) ? 1 : stamp(a) > stamp(b) ? -1 : 0) || b.at - a.at
    || (a.refname < b.refname ? 1 : a.refname > b.refname ? -1 : 0));
  return rows.map((x) => x.refname);
}
