// The paths and modes recorded in a raw index file (versions 2, 3 and 4), read without git and
// without writing anything: a backup's saved index is checked before it is installed. The
// restore itself also asks git (ls-files on a copy), which has the last word.

export interface IndexRecord {
  path: string; // latin1
  mode: string; // "100644", "120000", "160000", "40000" (sparse directory)...
}

/** Git's offset varint (index v4 path prefixes). */
function varint(buf: Buffer, pos: number): { value: number; next: number } | null {
  if (pos >= buf.length) return null;
  let c = buf[pos++]!;
  let value = c & 127;
  while (c & 128) {
    if (pos >= buf.length || value > 2 ** 40) return null;
    value += 1;
    c = buf[pos++]!;
    value = value * 128 + (c & 127);
  }
  return { value, next: pos };
}

/**
 * The records of an index file whose object ids are `hashLen` bytes (20: SHA-1, 32: SHA-256), or
 * null when it is not an index this understands (git then decides whether it can be read).
 */
export function indexRecords(buf: Buffer, hashLen: number): IndexRecord[] | null {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'DIRC') return null;
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) return null;
  const count = buf.readUInt32BE(8);
  const out: IndexRecord[] = [];
  let pos = 12;
  let prev = '';
  for (let i = 0; i < count; i++) {
    const start = pos;
    const fixed = 40 + hashLen + 2;
    if (pos + fixed > buf.length) return null;
    const mode = buf.readUInt32BE(pos + 24);
    const flags = buf.readUInt16BE(pos + 40 + hashLen);
    pos += fixed;
    if (flags & 0x4000) {
      if (version < 3) return null;
      pos += 2;
    }
    let path: string;
    if (version === 4) {
      const v = varint(buf, pos);
      if (!v || v.value > prev.length) return null;
      const end = buf.indexOf(0, v.next);
      if (end < 0) return null;
      path = prev.slice(0, prev.length - v.value) + buf.toString('latin1', v.next, end);
      pos = end + 1;
    } else {
      const end = buf.indexOf(0, pos);
      if (end < 0) return null;
      path = buf.toString('latin1', pos, end);
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      pos = start + ((end - start + 8) & ~7);
      if (pos > buf.length) return null;
    }
    prev = path;
    out.push({ path, mode: mode.toString(8) });
  }
  return out;
}
