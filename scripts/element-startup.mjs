// How soon Provision Store works: on the standalone tenant page and in a
// host's page (<store-provisioning>, e2e/host-page/), cold (a fresh
// profile) and with the files cached (the same page again), under the
// throttling Lighthouse's mobile profile applies in devtools mode (562.5 ms
// round trips, 1.47 Mbit/s down, 0.68 up, CPU 4x slower). Also the bytes
// each loads. One JSON line per measurement; medians at the end. Run by
// scripts/element-startup.sh; a measurement, not a test.
//
//   node element-startup.mjs <modules dir> <runs> <origin>
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, runsText, origin] = process.argv.slice(2);
const require = createRequire(join(modules, "noop.js"));
const puppeteer = (await import(pathToFileURL(require.resolve("puppeteer-core")).href)).default;
const PAGES = [
  ["standalone", "/admin/provisioning/tenants/acme-shoes", "document"],
  ["element", "/portal/tenants/acme-shoes", "shadow"],
];

// In the page: the time (ms from navigation) Provision Store is there and
// enabled, looked for at every frame; or false.
function buttonWorks(where) {
  const root = where === "shadow" ? document.querySelector("store-provisioning")?.shadowRoot : document;
  const button = root && [...root.querySelectorAll("button")].find((b) => b.textContent.trim() === "Provision Store");
  return button && !button.disabled ? performance.now() : false;
}

async function measure(page, path, where) {
  await page.goto(`${origin}${path}`, { waitUntil: "domcontentloaded" });
  const found = await page.waitForFunction(buttonWorks, { polling: "raf", timeout: 120000 }, where);
  const ms = Math.round(await found.jsonValue());
  const bytes = await page.evaluate(() =>
    [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].reduce(
      (sum, entry) => sum + (entry.transferSize || 0),
      0,
    ),
  );
  return { ms, kb: Math.round(bytes / 100) / 10 };
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM_BIN,
  args: ["--no-sandbox", "--headless=new"],
});
const rows = [];
for (let run = 0; run < Number(runsText); run++) {
  for (const [name, path, where] of PAGES) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const cdp = await page.createCDPSession();
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 562.5,
      downloadThroughput: (1474.56 * 1024) / 8,
      uploadThroughput: (675 * 1024) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    for (const visit of ["cold", "cached"]) {
      const row = { page: name, visit, ...(await measure(page, path, where)) };
      console.log(JSON.stringify(row));
      rows.push(row);
    }
    await context.close();
  }
}
await browser.close();

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
console.log(`\nmedians of ${runsText} runs: ms from navigation to a working Provision Store, KB transferred`);
for (const [name] of PAGES)
  for (const visit of ["cold", "cached"]) {
    const of = (k) => median(rows.filter((r) => r.page === name && r.visit === visit).map((r) => r[k]));
    const standalone = median(rows.filter((r) => r.page === "standalone" && r.visit === visit).map((r) => r.ms));
    console.log(`${name.padEnd(10)} ${visit.padEnd(6)} ${String(of("ms")).padStart(6)} ms ${String(of("kb")).padStart(7)} KB  ${(of("ms") / standalone).toFixed(2)}x standalone`);
  }
