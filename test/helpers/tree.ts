// A directory as data, for tests that check what a write changed (or did not): every entry under
// it by relative path — links as `link -> <target>` and FIFOs and other special files by kind,
// never followed or opened — with each regular file's contents.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

export function fileTree(d: string, encoding: BufferEncoding = 'utf8'): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string): void => {
    for (const n of readdirSync(p)) {
      const f = join(p, n);
      const rel = relative(d, f);
      const st = lstatSync(f);
      if (st.isSymbolicLink()) out[rel] = `link -> ${readlinkSync(f)}`;
      else if (st.isDirectory()) { out[rel] = 'dir'; walk(f); } else if (st.isFIFO()) out[rel] = 'fifo';
      else if (st.isFile()) out[rel] = readFileSync(f, encoding);
      else out[rel] = 'special';
    }
  };
  walk(d);
  return out;
}
