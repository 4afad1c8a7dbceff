// Lighthouse on up to three pages of several apps, first and second visits,
// one JSON line per measurement on stdout. Run by scripts/lighthouse.sh
// (which serves the apps behind nginx); not a test.
//
//   PAGES=tenant,running,tenants node lighthouse-pages.mjs <modules dir> <runs> <name>=<origin>...
//
// Pages: the tenant page with no job, the tenant page with a job running
// (provisioned first in the same profile, the cache emptied, then the page
// opened again: the app finds the job in localStorage), and the Tenants page.
// A first visit is a fresh browser profile (Lighthouse's own storage reset,
// or the cache emptied by hand where storage must stay); a second visit opens
// the page once, lets it settle, then measures it again in the same profile
// (its HTTP cache and compiled code kept).
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, runsText, ...appArgs] = process.argv.slice(2);
const apps = appArgs.map((arg) => [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]);
const pages = (process.env.PAGES || "tenant,running,tenants").split(",");
const require = createRequire(join(modules, "noop.js"));
const load = (name) => import(pathToFileURL(require.resolve(name)).href);
const { default: lighthouse } = await load("lighthouse");
const { default: desktopConfig } = await load("lighthouse/core/config/desktop-config.js");
const puppeteer = (await load("puppeteer-core")).default;
const throttlingMethod = process.env.THROTTLING || "simulate";
const TENANT = "/tenants/acme-shoes";
const RUNNING = "/tenants/acme-running";

const figures = (lhr) => {
  const v = (k) => Math.round(lhr.audits[k].numericValue);
  const bytes = lhr.audits["network-requests"].details.items.reduce((sum, r) => sum + (r.transferSize || 0), 0);
  return {
    lcp: v("largest-contentful-paint"),
    tti: v("interactive"),
    fcp: v("first-contentful-paint"),
    tbt: v("total-blocking-time"),
    kb: Math.round(bytes / 100) / 10,
  };
};

async function withBrowser(work) {
  const profile = mkdtempSync(join(tmpdir(), "lh-profile-"));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_BIN,
    headless: true,
    userDataDir: profile,
    args: ["--no-sandbox", "--headless=new"],
  });
  try {
    return await work(browser);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function measure(browser, url, formFactor, keepStorage) {
  const page = await browser.newPage();
  const flags = {
    output: "json",
    onlyCategories: ["performance"],
    throttlingMethod,
    disableStorageReset: keepStorage,
    logLevel: "error",
  };
  const config = formFactor === "desktop" ? desktopConfig : undefined;
  const result = await lighthouse(url, flags, config, page);
  await page.close();
  return figures(result.lhr);
}

// The page opened as a user would before the measured visit.
async function visit(browser, url, provision) {
  const page = await browser.newPage();
  await page.evaluateOnNewDocument(() => localStorage.setItem("token", "lighthouse"));
  await page.goto(url, { waitUntil: "networkidle0" });
  if (provision) {
    const button = await page.waitForSelector("::-p-aria(Provision Store)");
    const started = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/provision/"));
    await button.click();
    // The service made the job (the React original does not keep it across
    // a reload; ours finds it in localStorage).
    await started;
  }
  // Compiled code is cached a moment after it is used.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await page.close();
}

async function emptyCache(browser) {
  const page = await browser.newPage();
  const session = await page.createCDPSession();
  await session.send("Network.clearBrowserCache");
  await page.close();
}

const runs = Number(runsText || 3);
for (const formFactor of ["mobile", "desktop"]) {
  for (let run = 1; run <= runs; run++) {
    for (const [app, origin] of apps) {
      const report = (page, visitKind, f) =>
        console.log(JSON.stringify({ formFactor, app, page, visit: visitKind, run, ...f }));
      for (const [page, path] of [["tenant", TENANT], ["tenants", "/tenants"]].filter(([p]) => pages.includes(p))) {
        await withBrowser(async (browser) => {
          report(page, "first", await measure(browser, origin + path, formFactor, false));
        });
        await withBrowser(async (browser) => {
          await visit(browser, origin + path, false);
          report(page, "second", await measure(browser, origin + path, formFactor, true));
        });
      }
      if (pages.includes("running")) await withBrowser(async (browser) => {
        await visit(browser, origin + RUNNING, true);
        await emptyCache(browser);
        report("running", "first", await measure(browser, origin + RUNNING, formFactor, true));
        report("running", "second", await measure(browser, origin + RUNNING, formFactor, true));
      });
    }
  }
}
