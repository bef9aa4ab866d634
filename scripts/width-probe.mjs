// Runs inside a terminal (a tmux pane): draws each string of a JSON array at the start of an empty
// line and asks the terminal where its cursor went (DSR, ESC [ 6 n), which is how many columns the
// terminal drew the string in. Writes the widths, in order, as a JSON array.
//   node scripts/width-probe.mjs <strings.json> <widths.json>
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  process.stderr.write('usage: node scripts/width-probe.mjs <strings.json> <widths.json>\n');
  process.exit(2);
}
const strings = JSON.parse(readFileSync(input, 'utf8'));
process.stdin.setRawMode(true);
const widths = [];
let pending = '';
let i = 0;
const next = () => {
  if (i === strings.length) {
    writeFileSync(output, JSON.stringify(widths));
    process.stdout.write('\r\nDONE\r\n');
    process.exit(0);
  }
  // One column of margin, so that a string drawn at width 0 still moves nothing before it.
  process.stdout.write(`\r\x1b[2KA${strings[i]}\x1b[6n`);
};
process.stdin.on('data', (b) => {
  pending += b.toString('latin1');
  // eslint-disable-next-line no-control-regex -- the terminal's answer starts with ESC
  for (let m; (m = /\x1b\[(\d+);(\d+)R/.exec(pending)); ) {
    pending = pending.slice(m.index + m[0].length);
    widths.push(Number(m[2]) - 2);
    i++;
    next();
  }
});
next();
