// The log pane's regular-expression search, off the page's thread: a
// pattern that backtracks for ever (`(a+)+$` on a long line) stalls this
// Worker, never the page, and the page ends it after a time limit
// (src/log_pane/pattern_scan.rs). Loaded as a module Worker under a
// content-hashed name (scripts/trunk-post-build.sh), allowed by the CSP's
// `worker-src 'self'`.
//
// A message is { id, pattern, text }: `text` holds the lines of a chunk of
// the log, one per row, joined by "\n", as UTF-8 bytes (decoded here, off
// the page's thread). The answer is { id, rows }: the
// rows (0-based, ascending) that hold a match, as a Uint32Array; or
// { id, error } when the pattern cannot run. The page has checked the
// pattern with the same flags; `g` walks the chunk and `m` puts `^` and `$`
// at each row's ends. Never `s`: `.` stays inside a row.
let compiled = { pattern: null, walk: null, row: null };
const utf8 = new TextDecoder();

function rowsMatching(pattern, text) {
  if (compiled.pattern !== pattern) {
    compiled = {
      pattern,
      walk: new RegExp(pattern, "gimu"),
      row: new RegExp(pattern, "imu"),
    };
  }
  const { walk, row } = compiled;
  const rows = [];
  // Row `number` starts at `start` and ends at `end` (its "\n", or the end).
  let number = 0;
  let start = 0;
  let end = text.indexOf("\n");
  if (end === -1) end = text.length;
  walk.lastIndex = 0;
  for (let found = walk.exec(text); found !== null; found = walk.exec(text)) {
    while (end < found.index) {
      number += 1;
      start = end + 1;
      end = text.indexOf("\n", start);
      if (end === -1) end = text.length;
    }
    // `\s` or `[^x]` can take a "\n": a match that runs past its row
    // counts only when the row alone matches.
    if (found.index + found[0].length <= end || row.test(text.slice(start, end))) {
      rows.push(number);
    }
    // One answer a row: on to the next.
    if (end >= text.length) break;
    number += 1;
    start = end + 1;
    end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    walk.lastIndex = start;
  }
  return Uint32Array.from(rows);
}

self.onmessage = ({ data: { id, pattern, text } }) => {
  try {
    const rows = rowsMatching(pattern, utf8.decode(text));
    self.postMessage({ id, rows }, [rows.buffer]);
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error) });
  }
};
