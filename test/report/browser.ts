// Debian's chromium, headless, driven by playwright-core (no browser download): open a report.html
// as a person would, collect what went wrong in the page, and keep a screenshot next to it.

import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's chromium (apt-get install chromium); REPLCHECK_CHROMIUM names another executable. */
export const CHROMIUM = process.env.REPLCHECK_CHROMIUM ?? "/usr/bin/chromium";
export const haveChromium = existsSync(CHROMIUM);

/** Runs `fn` with a fresh headless browser, closed (its processes stopped) also when `fn` fails. */
export async function withBrowser<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--disable-dev-shm-usage"],
  });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

export interface OpenedReport {
  page: Page;
  /** Console errors and uncaught exceptions of the page. */
  errors: string[];
  /** Every request for something that is not the report itself (a self-contained page makes none). */
  outside: string[];
}

export async function openReport(browser: Browser, file: string): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const outside: string[] = [];
  const url = pathToFileURL(file).href;
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`exception: ${e.message}`));
  page.on("request", (r) => {
    if (r.url() !== url && !r.url().startsWith("data:")) outside.push(r.url());
  });
  await page.goto(url, { waitUntil: "load" });
  return { page, errors, outside };
}

/**
 * report.png: the page at 1280 px wide from the top down to the start of the rule table (and a
 * little of it), which is what a person looking at a CI artifact needs; the full table is in the HTML.
 */
export async function screenshot(page: Page, png: string): Promise<void> {
  // Expressions evaluated in the page (the project's TypeScript has no DOM types).
  const rulesTop = await page.evaluate<number>(
    `(document.getElementById("rules")?.getBoundingClientRect().top ?? 0) + window.scrollY`,
  );
  const full = await page.evaluate<number>("document.documentElement.scrollHeight");
  const height = Math.min(full, Math.max(900, Math.round(rulesTop) + 520));
  await page.screenshot({ path: png, fullPage: true, clip: { x: 0, y: 0, width: 1280, height } });
}
