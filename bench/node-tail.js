// The least a Node program does to show an appended line: fs.watch (inotify, no chokidar), read
// the new bytes, write them to the terminal. No parsing, no React, no Ink. The bench runs it
// beside `tail -F` to show what Node alone costs against the floor.
import { closeSync, openSync, readSync, watch, fstatSync } from 'node:fs';

const file = process.argv[2];
const fd = openSync(file, 'r');
let offset = fstatSync(fd).size;
const buf = Buffer.alloc(1 << 16);
watch(file, () => {
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, offset);
    if (n <= 0) break;
    offset += n;
    process.stdout.write(buf.subarray(0, n));
  }
});
process.on('SIGTERM', () => { closeSync(fd); process.exit(0); });
