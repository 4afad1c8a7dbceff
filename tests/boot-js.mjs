// Runs a build's boot.js in a stand-in for the browser, on each path of
// tests/route-cases.json, and checks the chunks it preloads against the
// case's part (src/boot_facts.rs checks the same cases against route.rs),
// the theme it applies, and that it holds none of the facts it reads
// from index.html. The stand-in has what boot.js touches: the build's
// <meta> and <link> elements, location, localStorage, fetch and a glue
// module that starts nothing.
//
//   node tests/boot-js.mjs DIST...   (release builds: scripts/test.sh)
//
// Prints one `test … ok` line a case and build, and a `test result:` line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

const { cases } = JSON.parse(readFileSync(new URL("route-cases.json", import.meta.url), "utf8"));
const dists = process.argv.slice(2);
if (dists.length === 0) {
  console.error("usage: node tests/boot-js.mjs DIST...");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "boot-js-"));
const glueFile = join(work, "glue.js");
writeFileSync(glueFile, "export default async () => ({ started: true });\n");

const unescaped = (text) =>
  text.replace(/&(quot|#39|lt|gt|amp);/g, (_, name) => ({ quot: '"', "#39": "'", lt: "<", gt: ">", amp: "&" })[name]);

// The <meta>, <link> and <script> elements of a page, with their attributes.
function elementsOf(html) {
  const elements = [];
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, "");
  for (const [, tag, rest] of withoutComments.matchAll(/<(meta|link|script)\b([^>]*)>/g)) {
    const attributes = {};
    for (const [, name, double, single] of rest.matchAll(/([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'))?/g)) {
      attributes[name] = unescaped(double ?? single ?? "");
    }
    elements.push({ tag, attributes });
  }
  return elements;
}

// `tag[name="value"]…`, the only selectors boot.js uses.
function matches(element, selector) {
  const [, tag, rest] = selector.match(/^(\w+)((?:\[[\w-]+="[^"]*"\])*)$/) ?? [];
  if (tag === undefined) throw new Error(`the stand-in does not know the selector ${selector}`);
  if (element.tag !== tag) return false;
  return [...rest.matchAll(/\[([\w-]+)="([^"]*)"\]/g)].every(([, name, value]) => element.attributes[name] === value);
}

// A page element as boot.js reads it.
function standIn({ tag, attributes }, glueHref) {
  const dataset = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("data-")) dataset[name.slice(5).replace(/-(\w)/g, (_, c) => c.toUpperCase())] = value;
  }
  const href = attributes.rel === "modulepreload" ? glueHref : attributes.href;
  return { tag, attributes, dataset, content: attributes.content, href };
}

function storage(entries) {
  return { getItem: (key) => (Object.hasOwn(entries, key) ? entries[key] : null) };
}

let runs = 0;

// boot.js of `page` run at `pathname` with `entries` in localStorage: the
// names of the chunks it preloaded, and the theme it set.
async function boot(page, pathname, entries) {
  const preloaded = [];
  const trouble = [];
  const html = { dataset: {} };
  const elements = page.elements.map((element) => standIn(element, pathToFileURL(glueFile).href));
  globalThis.document = {
    documentElement: html,
    querySelector: (selector) => elements.find((element) => matches(element, selector)) ?? null,
    querySelectorAll: (selector) => elements.filter((element) => matches(element, selector)),
    createElement: (tag) => ({ tag, setAttribute() {} }),
    head: { append: (link) => preloaded.push(basename(new URL(link.href).pathname)) },
    body: { prepend: (message) => trouble.push(message.textContent) },
  };
  globalThis.window = {};
  globalThis.location = { pathname };
  Object.defineProperty(globalThis, "localStorage", { value: storage(entries), configurable: true });
  globalThis.requestAnimationFrame = (callback) => setTimeout(callback, 0);
  globalThis.fetch = async () => ({ clone() { return this; }, arrayBuffer: async () => new ArrayBuffer(0) });
  WebAssembly.compileStreaming = async () => ({});
  const consoleError = console.error;
  console.error = (...args) => trouble.push(args.join(" "));
  try {
    runs += 1;
    await import(`${pathToFileURL(page.boot).href}?run=${runs}`);
  } catch (error) {
    trouble.push(String(error));
  } finally {
    console.error = consoleError;
  }
  if (!globalThis.window.__storePortalWasm?.started) trouble.push("the app was not started");
  return { preloaded: preloaded.sort(), theme: html.dataset.theme, trouble };
}

function readPage(dist) {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const elements = elementsOf(html);
  const script = elements.find((e) => e.tag === "script" && /\/boot-[^/]*\.js$/.test(e.attributes.src ?? ""));
  if (!script) throw new Error(`${dist}: no boot script in index.html`);
  const facts = elements.find((e) => matches(e, 'meta[name="store-portal-boot"]'));
  if (!facts) throw new Error(`${dist}: no <meta name="store-portal-boot"> in index.html`);
  const base = elements.find((e) => matches(e, 'meta[name="store-portal-base-path"]'))?.attributes.content ?? "/";
  return {
    dist,
    elements,
    facts: JSON.parse(facts.attributes.content),
    basename: base.replace(/\/$/, ""),
    boot: join(dist, basename(script.attributes.src)),
    chunks: elements.filter((e) => matches(e, 'meta[name="store-portal-chunk"]')),
  };
}

// The chunks a part comes in: its own and the shared ones it uses.
function chunksOf(page, part) {
  if (part === null) return [];
  const usedBy = (c) => (c.attributes["data-used-by"] ?? "").split(" ");
  const parts = page.chunks.filter((c) => c.attributes["data-part"] === part || usedBy(c).includes(part));
  if (!parts.some((c) => c.attributes["data-part"] === part)) throw new Error(`${page.dist}: no chunk of ${part}`);
  return parts.map((c) => c.attributes.content).sort();
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// What is stored, and whether it counts as the case's tenant's saved attempt.
function storedAttempts(tenant) {
  const someone = tenant ?? "acme-shoes";
  return [
    ["a saved attempt", true, JSON.stringify({ [someone]: ["job-1"], "other-tenant": ["job-2"] })],
    ["an expired one", true, JSON.stringify({ [someone]: [{ jobId: "job-1", expired: true }] })],
    ["none saved", false, null],
    ["only another tenant's, with this id as a job id", false, JSON.stringify({ "other-tenant": [someone] })],
    ["an empty list", false, JSON.stringify({ [someone]: [] })],
    ["junk", false, "{not json"],
  ];
}

async function checkCase(page, row) {
  const problems = [];
  const pathname = page.basename + row.path;
  for (const [saved, counts, entry] of storedAttempts(row.tenant)) {
    const entries = entry === null ? {} : { [page.facts.savedAttempts]: entry };
    const { preloaded, trouble } = await boot(page, pathname, entries);
    const part = row.tenant !== undefined && !counts ? null : (row.preloads ?? null);
    const expected = chunksOf(page, part);
    if (!same(preloaded, expected)) problems.push(`${saved}: preloaded ${JSON.stringify(preloaded)}, not ${JSON.stringify(expected)}`);
    if (trouble.length > 0) problems.push(`${saved}: ${trouble.join("; ")}`);
  }
  return problems;
}

async function checkTheme(page) {
  const problems = [];
  const { key, field } = page.facts.theme;
  const choices = [
    [{ [field]: "dark", wrap: true }, "dark"],
    [{ [field]: "light" }, "light"],
    [{ [field]: "system" }, undefined],
    [{ [field]: "purple" }, undefined],
    [{ wrap: true }, undefined],
    ["[1]", undefined],
    ["{not json", undefined],
    [null, undefined],
  ];
  for (const [stored, expected] of choices) {
    const text = stored === null || typeof stored === "string" ? stored : JSON.stringify(stored);
    const { theme, trouble } = await boot(page, `${page.basename}/`, text === null ? {} : { [key]: text });
    if (theme !== expected) problems.push(`${text}: theme ${theme}, not ${expected}`);
    if (trouble.length > 0) problems.push(`${text}: ${trouble.join("; ")}`);
  }
  return problems;
}

// boot.js holds no storage key, route segment or part name of its own.
function checkNoFacts(page) {
  const source = readFileSync(page.boot, "utf8");
  const { theme, savedAttempts, preloads } = page.facts;
  const facts = [theme.key, savedAttempts, ...preloads.flatMap((p) => [p.part, ...p.path.split("/")])];
  return [...new Set(facts)]
    .filter((fact) => fact !== "" && !fact.startsWith(":") && source.includes(fact))
    .map((fact) => `boot.js says ${JSON.stringify(fact)} itself`);
}

let passed = 0;
let failed = 0;
function report(name, problems) {
  if (problems.length === 0) {
    passed += 1;
    console.log(`test ${name} ... ok`);
  } else {
    failed += 1;
    console.log(`test ${name} ... FAILED`);
    for (const problem of problems) console.log(`    ${problem}`);
  }
}

try {
  for (const dist of dists) {
    const page = readPage(dist);
    report(`${dist}: boot.js holds none of the facts`, checkNoFacts(page));
    report(`${dist}: the theme`, await checkTheme(page));
    for (const row of cases) report(`${dist}: ${JSON.stringify(row.path)}`, await checkCase(page, row));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`\ntest result: ${failed === 0 ? "ok" : "FAILED"}. ${passed} passed; ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
