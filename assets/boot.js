// Starts store-portal from a file of its own rather than an inline script,
// so the portal's Content-Security-Policy (script-src 'self') lets it run.
// Trunk writes the hashed names and SRI hashes of the JS glue and the wasm
// into the preload links of index.html (the wasm's as data-integrity, see
// scripts/trunk-post-build.sh); they are read from there, so the integrity
// of both is checked when they are used.
//
// The wasm is compiled while it downloads; the app starts once the static
// shell of index.html has been painted (a frame, or 50 ms in a background
// tab, where frames wait), so a reader sees the page at once on any link.
// The theme the reader chose ("Theme"), before anything is painted: the
// app keeps it in the same entry (store-portal.preferences.v1).
try {
  const theme = JSON.parse(localStorage.getItem("store-portal.preferences.v1"))?.theme;
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch {
  // No storage, or junk in it: the system's theme.
}

const glue = document.querySelector('link[rel="modulepreload"]');
const wasm = document.querySelector('link[rel="preload"][as="fetch"]');

async function compile(response) {
  try {
    return await WebAssembly.compileStreaming(response.clone());
  } catch {
    // A server that does not say application/wasm: compile the bytes.
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

const painted = new Promise((resolve) => {
  requestAnimationFrame(() => setTimeout(resolve, 0));
  setTimeout(resolve, 50);
});

try {
  const [{ default: init }, module] = await Promise.all([
    import(glue.href),
    fetch(wasm.href, { integrity: wasm.dataset.integrity }).then(compile),
    painted,
  ]);
  const exports = await init({ module_or_path: module });
  // The module (its memory above all), for benchmarks that measure it.
  Object.defineProperty(window, "__storePortalWasm", { value: exports });
} catch (error) {
  const message = document.createElement("p");
  message.className = "boot-error";
  message.setAttribute("role", "alert");
  message.textContent =
    "Store provisioning could not start. Reload the page; if that does not help, tell the portal team.";
  document.body.prepend(message);
  throw error;
}
