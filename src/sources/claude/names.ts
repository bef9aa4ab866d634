// How Claude Code turns names into file names (docs/claude-code.md): an inbox is named after its
// recipient with every character outside [A-Za-z0-9_-] replaced by '-' (case kept); a team's
// directory also turns '_' into '-' and is lowercased. A task's owner is a member's name, or its
// agent id ("name@team") in older files. teamtop maps both ways with the same rules.

/** The inbox file stem Claude Code uses for a recipient: `doc.writer` → `doc-writer`. */
export function inboxStem(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '-');
}

/** The directory name Claude Code gives a team name: `My_Team` → `my-team`. */
export function teamDirName(name: string): string {
  return name.replace(/[^a-zA-Z0-9]/g, '-').toLowerCase();
}

export interface MemberNames {
  name: string;
  agentId?: string | null;
}

/** Member names by inbox stem (the first member wins a collision, as Claude Code's would). */
export function membersByStem(members: readonly MemberNames[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const x of members) if (!m.has(inboxStem(x.name))) m.set(inboxStem(x.name), x.name);
  return m;
}

/** The member a task owner names (by name, or by agent id), or the owner as written. */
export function ownerName(owner: string, members: readonly MemberNames[]): string {
  if (members.some((m) => m.name === owner)) return owner;
  const byId = members.find((m) => m.agentId && m.agentId === owner);
  if (byId) return byId.name;
  // "name@team" of a member whose agentId is not recorded.
  const at = owner.lastIndexOf('@');
  if (at > 0 && members.some((m) => m.name === owner.slice(0, at))) return owner.slice(0, at);
  return owner;
}
