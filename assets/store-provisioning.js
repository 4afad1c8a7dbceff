// <store-provisioning tenant-id="…"> and <store-provisioning-batch>: the
// Store Provisioning feature inside a host's page (docs/embedding.md).
//
// An ES module at a stable name beside the build's hashed files; the build
// writes their names and SRI hashes into BUILD below
// (scripts/element-manifest.mjs). One wasm module serves every element on
// the page, loaded when the first one is put on it; each element gets an
// open shadow root (the stylesheet adopted there, the host's CSS kept out)
// and its own Yew app inside (src/embedding/element.rs).
const BUILD = { glue: null, wasm: null, css: null, worker: null, chunks: [], elements: [], savedAttempts: "" };

const TENANT_TAG = "store-provisioning";
const BATCH_TAG = "store-provisioning-batch";
const here = import.meta.url;
const asset = (entry) => ({ href: new URL(entry.file, here).href, integrity: entry.integrity });

// Elements on the page, in the order they were put there.
const live = new Set();
// The module's exports once loaded (a Promise), the stylesheet, and the
// message of a panic once the module has stopped.
let loaded = null;
let sheet = null;
let crashed = null;

const STOPPED =
  "Store provisioning stopped after an error and cannot go on. Reload the page to use it again.";
const NOT_STARTED =
  "Store provisioning could not start. Reload the page; if that does not help, tell the portal team.";

async function compile(response) {
  try {
    return await WebAssembly.compileStreaming(response.clone());
  } catch {
    // A server that does not say application/wasm: compile the bytes.
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

// The getToken last asked, kept for what goes on after its element left
// (a job followed to its end for "Notify me when it ends").
let lastSource = null;

// The token for a request: the getToken of the element put on the page
// last that has one, else the one last asked, else undefined (the module
// then reads localStorage).
function hostToken() {
  const holder = [...live].reverse().find((element) => element.getToken);
  if (holder) lastSource = { holder, source: holder.getToken };
  if (!lastSource) return undefined;
  try {
    return Promise.resolve(lastSource.source.call(lastSource.holder)).then(
      (token) => (typeof token === "string" ? token : null),
      () => null,
    );
  } catch {
    return Promise.resolve(null);
  }
}

function onPanic(message) {
  crashed = message;
  console.error(`store-provisioning: ${message}`);
  for (const element of live) element.showMessage(STOPPED);
}

// Whether the saved attempts (tenant id → list) list one for `tenant`.
function hasSavedAttempt(tenant) {
  try {
    const list = (JSON.parse(localStorage.getItem(BUILD.savedAttempts)) ?? {})[tenant];
    return Array.isArray(list) && list.length > 0;
  } catch {
    return false;
  }
}

// The split parts an element's first screen asks for (src/boot_facts.rs).
function wantedParts(element) {
  const kind = BUILD.elements.find((entry) => entry.tag === element.localName);
  if (!kind) return [];
  const tenant = element.getAttribute("tenant-id");
  return tenant && hasSavedAttempt(tenant) ? [...kind.parts, ...kind.withSavedAttempt] : kind.parts;
}

// The module, once per page. Its glue is preloaded with its SRI hash, so
// the import that follows runs only checked code.
function load() {
  loaded ??= (async () => {
    const glue = asset(BUILD.glue);
    const wasm = asset(BUILD.wasm);
    const preload = document.createElement("link");
    preload.rel = "modulepreload";
    preload.href = glue.href;
    preload.integrity = glue.integrity;
    document.head.append(preload);
    // The chunks the first elements will ask for, beside the main module.
    const parts = new Set([...live].flatMap(wantedParts));
    for (const chunk of BUILD.chunks) {
      if (!parts.has(chunk.part) && !chunk.usedBy.some((part) => parts.has(part))) continue;
      fetch(new URL(chunk.file, here), { integrity: chunk.integrity }).catch(() => {});
    }
    try {
      const [exports, module] = await Promise.all([
        import(glue.href),
        fetch(wasm.href, { integrity: wasm.integrity }).then(compile),
      ]);
      await exports.default({ module_or_path: module });
      exports.configureEmbedding({ token: hostToken, onPanic, worker: asset(BUILD.worker) });
      return exports;
    } finally {
      preload.remove();
    }
  })();
  return loaded;
}

// The stylesheet, fetched once with its SRI hash and adopted by every
// element's shadow root (the CSSOM: a strict style-src holds).
function stylesheet() {
  sheet ??= (async () => {
    const css = asset(BUILD.css);
    const text = await (await fetch(css.href, { integrity: css.integrity })).text();
    const parsed = new CSSStyleSheet();
    parsed.replaceSync(text);
    return parsed;
  })();
  return sheet;
}

class ProvisioningElement extends HTMLElement {
  static observedAttributes = ["tenant-id", "api-base"];
  #shadow = null;
  #handle = null;
  #getToken = null;
  #attaching = false;

  constructor() {
    super();
    // A getToken the host set before this script defined the element is
    // an own property hiding the accessor: take it over.
    if (Object.hasOwn(this, "getToken")) {
      const early = this.getToken;
      delete this.getToken;
      this.getToken = early;
    }
  }

  get getToken() {
    return this.#getToken;
  }

  set getToken(source) {
    this.#getToken = typeof source === "function" ? source : null;
    if (loaded && !crashed) loaded.then((exports) => exports.tokenSourceChanged(), () => {});
  }

  connectedCallback() {
    live.delete(this);
    live.add(this);
    this.#shadow ??= this.attachShadow({ mode: "open" });
    if (crashed) {
      this.showMessage(STOPPED);
      return;
    }
    this.#attach().catch((error) => {
      console.error("store-provisioning: the module did not load", error);
      this.showMessage(NOT_STARTED);
    });
  }

  async #attach() {
    const [exports, css] = await Promise.all([load(), stylesheet()]);
    if (!this.isConnected || this.#handle || this.#attaching || crashed) return;
    this.#attaching = true;
    try {
      this.#shadow.adoptedStyleSheets = [css];
      this.#shadow.replaceChildren();
      const handle = await exports.attachElement(this.#shadow, this);
      // Removed (or stopped) while its code loaded: it goes at once.
      if (this.isConnected && !crashed) this.#handle = handle;
      else if (!crashed) handle.detach();
    } finally {
      this.#attaching = false;
    }
    // Put back while it attached: attach again.
    if (this.isConnected && !this.#handle && !crashed) await this.#attach();
  }

  disconnectedCallback() {
    live.delete(this);
    const handle = this.#handle;
    this.#handle = null;
    if (handle && !crashed) handle.detach();
  }

  attributeChangedCallback() {
    if (this.#handle && !crashed) this.#handle.refresh();
  }

  // A message in place of the feature (it did not load, or it stopped).
  showMessage(text) {
    if (!this.#shadow) return;
    this.#handle = null;
    const message = document.createElement("p");
    message.setAttribute("role", "alert");
    message.className = "alert alert-error";
    message.textContent = text;
    this.#shadow.replaceChildren(message);
  }
}

// Loaded twice (another URL, another bundle), the first definition stays.
if (!customElements.get(TENANT_TAG)) {
  customElements.define(TENANT_TAG, class StoreProvisioning extends ProvisioningElement {});
}
if (!customElements.get(BATCH_TAG)) {
  customElements.define(BATCH_TAG, class StoreProvisioningBatch extends ProvisioningElement {});
}
