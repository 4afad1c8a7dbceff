// Starts store-portal from a file of its own rather than an inline script,
// so the portal's Content-Security-Policy (script-src 'self') lets it run.
// Trunk writes the hashed names and SRI hashes of the JS glue and the wasm
// into the preload links of index.html (the wasm's as data-integrity, see
// scripts/trunk-post-build.sh); they are read from there, so the integrity
// of both is checked when they are used.
const glue = document.querySelector('link[rel="modulepreload"]');
const wasm = document.querySelector('link[rel="preload"][as="fetch"]');
try {
  const { default: init } = await import(glue.href);
  const exports = await init({ module_or_path: fetch(wasm.href, { integrity: wasm.dataset.integrity }) });
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
