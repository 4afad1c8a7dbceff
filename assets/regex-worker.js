// The log pane's regular-expression search, off the page's thread: a
// pattern that backtracks for ever (`(a+)+$` on a long line) stalls this
// Worker, never the page, and the page ends it after a time limit
// (src/log_pane/pattern_scan.rs). Loaded as a module Worker under a
// content-hashed name (scripts/trunk-post-build.sh), allowed by the CSP's
// `worker-src 'self'`.
//
// A message is { id, pattern, flags, text, split, rows: [narrow, wide] }: `text`
// holds the lines of a chunk of the log as UTF-8 bytes (decoded here, off
// the page's thread) in two parts, bytes [0, split) and [split, end), with
// `narrow` and `wide` rows, one line a row joined by "\n". The first part's
// characters are all at most U+00FF, so it decodes to a one-byte string,
// which decodes and searches several times faster. The answer is { id, rows }:
// the rows (0-based, ascending, the second part's numbered after the
// first's) that hold a match, as a Uint32Array; or { id, error } when the
// pattern cannot run. `flags` are the ones the page checked the pattern
// with (never `s`: `.` stays inside a row); `g` walks a part and `m` puts
// `^` and `$` at each row's ends.
let compiled = { pattern: null, flags: null, walk: null, row: null };
const utf8 = new TextDecoder();

// Pushes onto `rows` the rows of `text` that match, numbered from `first`.
function rowsMatching(pattern, flags, text, first, rows) {
  if (compiled.pattern !== pattern || compiled.flags !== flags) {
    compiled = {
      pattern,
      flags,
      walk: new RegExp(pattern, "gm" + flags),
      row: new RegExp(pattern, "m" + flags),
    };
  }
  const { walk, row } = compiled;
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
      rows.push(first + number);
    }
    // One answer a row: on to the next.
    if (end >= text.length) break;
    number += 1;
    start = end + 1;
    end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    walk.lastIndex = start;
  }
}

self.onmessage = ({ data: { id, pattern, flags, text, split, rows: [narrow, wide] } }) => {
  try {
    const found = [];
    if (narrow > 0) rowsMatching(pattern, flags, utf8.decode(text.subarray(0, split)), 0, found);
    if (wide > 0) rowsMatching(pattern, flags, utf8.decode(text.subarray(split)), narrow, found);
    const rows = Uint32Array.from(found);
    self.postMessage({ id, rows }, [rows.buffer]);
  } catch (error) {
    self.postMessage({ id, error: String(error?.message ?? error) });
  }
};
