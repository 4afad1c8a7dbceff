// saved(): the file "Download" last saved (caught by catch_downloads), as
// { name, lines }, or null while it is still being read.
const saved = () => {
  const s = window.__saved;
  if (!s || s.text === null) return null;
  const lines = s.text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return { name: s.name, lines };
};
