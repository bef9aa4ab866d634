// Help texts: option lines aligned in one column per block, whatever the length of the flags.
// A block is a run of lines that start with two spaces and a dash; lines indented further continue
// the description above them.

const OPTION = /^ {2}(-\S+(?: [A-Z][A-Z[\]:,.…-]*)?)\s+(\S.*)$/;
/** Flags of any shape (`--format openmetrics`, `--watch --jsonl`) end at a gap of two spaces or more. */
const GAPPED = /^ {2}(-\S(?:.*?\S)?) {2,}(\S.*)$/;

const option = (line: string): RegExpExecArray | null => GAPPED.exec(line) ?? OPTION.exec(line);

/** Re-aligns every block of option lines in `text` so their descriptions start in one column. */
export function alignOptions(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    if (!option(lines[i]!)) { out.push(lines[i]!); i++; continue; }
    const rows: Array<{ flags: string; desc: string[] }> = [];
    while (i < lines.length) {
      const m = option(lines[i]!);
      if (m) { rows.push({ flags: m[1]!, desc: [m[2]!] }); i++; continue; }
      if (rows.length && /^ {4,}\S/.test(lines[i]!)) { rows[rows.length - 1]!.desc.push(lines[i]!.trim()); i++; continue; }
      break;
    }
    const col = Math.max(...rows.map((r) => r.flags.length)) + 2;
    for (const r of rows) {
      out.push(`  ${r.flags.padEnd(col)}${r.desc[0]}`);
      for (const d of r.desc.slice(1)) out.push(`  ${' '.repeat(col)}${d}`);
    }
  }
  return out.join('\n');
}
