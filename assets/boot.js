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

// What the app says this script needs (src/boot_facts.rs, written into
// index.html by the build): where the theme and the saved attempts are
// kept, and which split part the first screen of a route's path asks for.
// Without them the app still starts: the theme waits for it, and nothing
// is fetched early.
let facts = { preloads: [] };
try {
  facts = JSON.parse(document.querySelector('meta[name="store-portal-boot"]').content);
} catch {
  console.error("store-portal: no facts for boot.js in index.html");
}

// The theme the reader chose ("Theme"), before anything is painted.
try {
  const theme = JSON.parse(localStorage.getItem(facts.theme.key))?.[facts.theme.field];
  if (facts.theme.values.includes(theme)) document.documentElement.dataset.theme = theme;
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

// The page's path as the router sees it: below the base path.
function routerPath() {
  const base = document.querySelector('meta[name="store-portal-base-path"]')?.content || "/";
  const basename = base.replace(/\/$/, "");
  const path = location.pathname.startsWith(basename) ? location.pathname.slice(basename.length) : location.pathname;
  return path.startsWith("/") ? path : `/${path}`;
}

// A path segment with its %xx escapes decoded (a malformed one as it is).
function decoded(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// The parameters `path` gives a route `pattern` (`/tenants/:tenant_id`), or
// null when it does not match. As the router: a trailing slash is allowed,
// a parameter is a segment that is not empty, percent-decoded.
function matched(pattern, path) {
  const want = pattern.replace(/\/$/, "").split("/");
  const got = path.replace(/\/$/, "").split("/");
  if (want.length !== got.length) return null;
  const params = {};
  for (const [i, segment] of want.entries()) {
    if (segment.startsWith(":") && got[i] !== "") params[segment.slice(1)] = decoded(got[i]);
    else if (segment !== got[i]) return null;
  }
  return params;
}

// Whether the saved attempts' entry (tenant id → list) lists one for `tenant`.
function hasSavedAttempt(tenant) {
  try {
    const list = (JSON.parse(localStorage.getItem(facts.savedAttempts)) ?? {})[tenant];
    return Array.isArray(list) && list.length > 0;
  } catch {
    return false;
  }
}

// A split build's chunks that this page's first screen will ask for,
// fetched beside the main module rather than after it (the app's own
// fetch of each, which checks its SRI hash, is then answered by this
// preload or the HTTP cache; Chromium ignores `integrity` on a fetch
// preload and says so on the console, so it is not set here): the part
// of the first route pattern the path matches, if any, and if it waits
// for a saved attempt, only when its tenant has one. A wrong guess costs
// one early download, no more.
function wantedPart() {
  const path = routerPath();
  for (const preload of facts.preloads) {
    const params = matched(preload.path, path);
    if (params === null) continue;
    const waitsFor = preload.savedAttemptOf;
    return waitsFor === undefined || hasSavedAttempt(params[waitsFor]) ? preload.part : null;
  }
  return null;
}
const part = wantedPart();
for (const chunk of document.querySelectorAll('meta[name="store-portal-chunk"]')) {
  // A split point's own chunk, or a shared one it uses.
  const usedBy = (chunk.dataset.usedBy ?? "").split(" ");
  if (part === null || (chunk.dataset.part !== part && !usedBy.includes(part))) continue;
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
