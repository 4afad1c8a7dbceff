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

// A split build's chunks that this page's first screen will ask for,
// fetched beside the main module rather than after it (the app's own
// fetch of each, which checks its SRI hash, is then answered by this
// preload or the HTTP cache; Chromium ignores `integrity` on a fetch
// preload and says so on the console, so it is not set here): the
// Tenants page's batch panel, and a tenant page's log tools when a job of
// that tenant is saved. A wrong guess costs one early download, no more.
function wantedPart() {
  const base = document.querySelector('meta[name="store-portal-base-path"]')?.content || "/";
  const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : "";
  const [first, tenant, rest] = path.split("/");
  if ((first === "" || first === "tenants") && !tenant) return "batch_panel";
  if (first !== "tenants" || !tenant || rest !== undefined) return null;
  try {
    const saved = localStorage.getItem("store-portal.attempts.v2") || "";
    return saved.includes(JSON.stringify(decodeURIComponent(tenant))) ? "reading_tools" : null;
  } catch {
    return null;
  }
}
const part = wantedPart();
for (const chunk of document.querySelectorAll('meta[name="store-portal-chunk"]')) {
  if (part === null || (chunk.dataset.part !== part && chunk.dataset.part !== "")) continue;
  const link = document.createElement("link");
  link.rel = "preload";
  link.as = "fetch";
  link.crossOrigin = "anonymous";
  link.href = new URL(chunk.content, glue.href).href;
  document.head.append(link);
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
