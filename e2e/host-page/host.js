// The host page's script: what a portal's router and login do, in plain
// JavaScript. Routes: /portal/tenants/<id>, /portal/two/<a>/<b>,
// /portal/batch, anything else a page without the elements. Query:
// ?token=storage leaves auth to localStorage. It runs before the element
// script (index.html loads both): the elements it makes get their
// getToken before they upgrade.

// The token, in memory only; each request asks for it.
window.hostToken = "e2e-token-5f1c9a";
window.hostTokenCalls = 0;
const getToken = () => {
  window.hostTokenCalls += 1;
  return new Promise((resolve) => setTimeout(() => resolve(window.hostToken), 1));
};

// Listeners on window and document, net of those removed (what a page's
// listeners come to after elements come and go).
// Each listener counted once, however often it is added or removed.
const listening = new Map();
const realAdd = EventTarget.prototype.addEventListener;
const realRemove = EventTarget.prototype.removeEventListener;
const counted = (target) => target === window || target === document;
const key = (target, type, listener, options) =>
  [target === window ? "window" : "document", type, typeof options === "boolean" ? options : !!options?.capture];
EventTarget.prototype.addEventListener = function (type, listener, options) {
  if (counted(this) && listener) {
    const [where, kind, capture] = key(this, type, listener, options);
    const entry = `${where} ${kind}${capture ? " (capture)" : ""}`;
    if (!listening.has(listener)) listening.set(listener, new Set());
    listening.get(listener).add(entry);
  }
  return realAdd.call(this, type, listener, options);
};
EventTarget.prototype.removeEventListener = function (type, listener, options) {
  if (counted(this) && listener) {
    const [where, kind, capture] = key(this, type, listener, options);
    listening.get(listener)?.delete(`${where} ${kind}${capture ? " (capture)" : ""}`);
  }
  return realRemove.call(this, type, listener, options);
};
// The listeners on window and document now, by where and type.
window.hostListeners = () => [...listening.values()].flatMap((entries) => [...entries]).sort();

// What went wrong in the page, as the host sees it (both browsers): CSP
// violations, uncaught errors, rejected promises.
window.hostTrouble = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.hostTrouble.push(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
addEventListener("error", (e) => window.hostTrouble.push(`error: ${e.message || e.target?.src || e.target?.href}`), true);
addEventListener("unhandledrejection", (e) => window.hostTrouble.push(`unhandled rejection: ${e.reason}`));

// What the host heard: each provisioning-change, and the bearer token of
// each request the page sent (fetch wrapped, as a monitoring library would).
window.hostEvents = [];
document.addEventListener("provisioning-change", (event) => {
  window.hostEvents.push({ tag: event.target.localName, ...event.detail });
});
window.hostAuthSeen = [];
const realFetch = window.fetch;
window.fetch = function (input, init) {
  try {
    const headers = input instanceof Request ? input.headers : new Headers(init?.headers);
    const auth = headers.get("authorization");
    if (auth) window.hostAuthSeen.push(auth);
  } catch {
    // Not ours to break.
  }
  return realFetch.call(this, input, init);
};

const params = new URLSearchParams(location.search);
const outlet = document.getElementById("outlet");

function tenantElement(id) {
  const element = document.createElement("store-provisioning");
  element.setAttribute("tenant-id", id);
  if (params.get("token") !== "storage") element.getToken = getToken;
  return element;
}

function heading(text) {
  const h1 = document.createElement("h1");
  h1.textContent = text;
  return h1;
}

// What React would do on a route change: keep the element and change its
// attribute when only the tenant changed; else render the new page.
function render() {
  const parts = location.pathname.split("/").filter(Boolean).slice(1);
  const kept = outlet.querySelector(":scope > store-provisioning");
  if (parts[0] === "tenants" && parts[1]) {
    const id = decodeURIComponent(parts[1]);
    if (kept && outlet.dataset.route === "tenant") {
      outlet.querySelector("h1").textContent = `Tenant ${id}`;
      kept.setAttribute("tenant-id", id);
      return;
    }
    outlet.dataset.route = "tenant";
    outlet.replaceChildren(heading(`Tenant ${id}`), tenantElement(id));
  } else if (parts[0] === "two" && parts[1] && parts[2]) {
    outlet.dataset.route = "two";
    const row = document.createElement("div");
    row.className = "side-by-side";
    row.append(tenantElement(parts[1]), tenantElement(parts[2]));
    outlet.replaceChildren(heading("Two tenants"), row);
  } else if (parts[0] === "batch") {
    outlet.dataset.route = "batch";
    const batch = document.createElement("store-provisioning-batch");
    if (params.get("token") !== "storage") batch.getToken = getToken;
    outlet.replaceChildren(heading("Tenants"), batch);
  } else {
    outlet.dataset.route = "home";
    outlet.replaceChildren(heading("Portal home"));
  }
}

window.host = {
  navigate(path) {
    history.pushState(null, "", path);
    render();
  },
  // The element off the page and back, as a router's transition might.
  removeElement() {
    const element = document.querySelector("store-provisioning, store-provisioning-batch");
    window.hostRemoved = element;
    element.remove();
  },
  reinsertElement() {
    outlet.append(window.hostRemoved);
  },
  // The module's test panic, called from the page's own module map (a
  // WebDriver script's import may load a second, unstarted copy).
  async panicForTests() {
    const glue = performance
      .getEntriesByType("resource")
      .map((entry) => entry.name)
      .find((name) => /store-portal-[0-9a-f]+\.js$/.test(name));
    const module = await import(glue);
    try {
      module.panicForTests();
      return "no panic";
    } catch (error) {
      return `thrown: ${error}`;
    }
  },
};
addEventListener("popstate", render);
render();
