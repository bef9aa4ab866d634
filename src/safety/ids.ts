// Ids from state files become file names (checkpoints, briefs, archive directories) and git refs
// (checkpoint and abort tags). Validate before any such use; an id that fails is reported as
// invalid-state and never turned into a path or a git argument.

export const MAX_ID_LENGTH = 128;

/** Null when the id is safe to use in a file name or ref component, else the reason. */
const PLAINLY_SAFE = /^[A-Za-z0-9_][A-Za-z0-9_#+=,%@-]{0,127}$/;

export function idProblem(id: string): string | null {
  // The common case (letters, digits, a little punctuation, no dots): safe at a glance.
  if (PLAINLY_SAFE.test(id)) return null;
  if (id.length === 0) return 'is empty';
  if (id.length > MAX_ID_LENGTH) return `is longer than ${MAX_ID_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(id)) return 'contains control characters';
  if (/[/\\]/.test(id)) return 'contains a path separator';
  if (id.includes('..')) return 'contains ".."';
  if (id.startsWith('-')) return 'starts with "-"';
  if (id.startsWith('.')) return 'starts with "."';
  if (/[\s~^:?*[\]{}<>|"'`$;&]/.test(id) || id === '@') {
    return 'contains a character not allowed in file names or git refs';
  }
  if (id.endsWith('.lock') || id.endsWith('.')) return 'ends with ".lock" or "."';
  return null;
}

export function isSafeId(id: string): boolean {
  return idProblem(id) === null;
}

export class UnsafeIdError extends Error {
  constructor(kind: string, id: string, problem: string) {
    super(`${kind} id ${JSON.stringify(id)} ${problem}: refusing to use it in a file name or git ref`);
    this.name = 'UnsafeIdError';
  }
}

export function assertSafeId(kind: string, id: string): string {
  const p = idProblem(id);
  if (p) throw new UnsafeIdError(kind, id, p);
  return id;
}
