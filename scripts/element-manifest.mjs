// Writes the build's files into store-provisioning.js (its `const BUILD`):
// the JS glue, the wasm, the stylesheet, the search Worker and the chunks,
// each with its SRI hash, named as index.html names them, and the split
// parts each element's first screen asks for and where saved attempts are
// kept (from the boot facts, src/boot_facts.rs).
// Run by scripts/trunk-post-build.sh in Trunk's staging directory, once
// index.html's names and hashes are final.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

// (Comments left out: they name tags too.)
const html = readFileSync("index.html", "utf8").replace(/<!--[\s\S]*?-->/g, "");
const tags = (name) => html.match(new RegExp(`<${name}\\b[^>]*>`, "g")) ?? [];
const attribute = (tag, name) => {
  const found = tag.match(new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)')`));
  return found ? (found[1] ?? found[2]).replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&") : null;
};
const only = (list, what) => {
  if (list.length !== 1) throw new Error(`element-manifest: ${list.length} ${what} in index.html, not 1`);
  return list[0];
};
const file = (href) => href.split("/").pop();
// A chunk's SRI hash, from the file (index.html names chunks without one).
const sri = (name) => `sha384-${createHash("sha384").update(readFileSync(name)).digest("base64")}`;
const links = tags("link");
const metas = tags("meta");
const meta = (name) => only(metas.filter((tag) => attribute(tag, "name") === name), `<meta name="${name}">`);

const glue = only(links.filter((tag) => attribute(tag, "rel") === "modulepreload"), "module preloads");
const wasm = only(links.filter((tag) => attribute(tag, "rel") === "preload" && attribute(tag, "as") === "fetch"), "wasm preloads");
const css = only(links.filter((tag) => attribute(tag, "rel") === "stylesheet"), "stylesheets");
const worker = meta("store-portal-regex-worker");
const facts = JSON.parse(attribute(meta("store-portal-boot"), "content"));
const entry = (href, integrity) => {
  if (!href || !integrity) throw new Error(`element-manifest: ${href} has no SRI hash in index.html`);
  return { file: file(href), integrity };
};
const build = {
  glue: entry(attribute(glue, "href"), attribute(glue, "integrity")),
  wasm: entry(attribute(wasm, "href"), attribute(wasm, "data-integrity")),
  css: entry(attribute(css, "href"), attribute(css, "integrity")),
  worker: entry(attribute(worker, "content"), attribute(worker, "data-integrity")),
  chunks: metas
    .filter((tag) => attribute(tag, "name") === "store-portal-chunk")
    .map((tag) => ({
      ...entry(attribute(tag, "content"), sri(attribute(tag, "content"))),
      part: attribute(tag, "data-part"),
      usedBy: (attribute(tag, "data-used-by") ?? "").split(" ").filter(Boolean),
    })),
  elements: facts.elements,
  savedAttempts: facts.savedAttempts,
};
const script = "store-provisioning.js";
const source = readFileSync(script, "utf8");
const placeholder = /^const BUILD = \{[^\n]*\};$/m;
if (!placeholder.test(source)) throw new Error(`element-manifest: no "const BUILD = {…};" line in ${script}`);
writeFileSync(script, source.replace(placeholder, () => `const BUILD = ${JSON.stringify(build)};`));
