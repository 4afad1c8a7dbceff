// view(): what the log pane shows, as [first line number in view, last line
// number in view, rows in the DOM, whether the rows touch without gap or
// overlap]. Geometry is read in one script: a WebDriver call a row would
// be slower than the scrolling it measures.
const view = () => {
  const log = document.querySelector("[role=log]");
  const box = log.getBoundingClientRect();
  const rows = [...log.querySelectorAll(".log-row, .log-group")];
  let tight = true;
  for (let i = 1; i < rows.length; i++) {
    const gap = rows[i].getBoundingClientRect().top - rows[i - 1].getBoundingClientRect().bottom;
    if (Math.abs(gap) > 0.5) tight = false;
  }
  const seen = rows
    .filter((r) => {
      const b = r.getBoundingClientRect();
      return r.dataset.seq && b.bottom > box.top + 1 && b.top < box.bottom - 1;
    })
    .map((r) => Number(r.dataset.seq));
  return [seen[0] || 0, seen[seen.length - 1] || 0, rows.length, tight];
};
