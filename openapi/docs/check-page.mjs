// Opens the reference page that `cargo xtask spec-docs` builds with Redocly
// in headless Chromium (Debian's, driven by playwright-core; never a browser
// of playwright's own) and checks what a reader must find on it. Run by the
// xtask: node check-page.mjs PAGE SCREENSHOT CHROMIUM
//
// Fails when the page asks for anything but itself (a CDN script, a font, an
// icon: the page must work offline), when a check's text is missing, or when
// the page logs an error. Saves a screenshot of the whole page.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [page, screenshot, executablePath] = process.argv.slice(2);

// What a reader must find: both operations, the 403 explanation (under the
// 403 tab of the responses), and the sample responses (their timestamps and
// countries, once the samples are expanded).
const CHECKS = {
  "the supported operation": "List every ID document Jumio can verify",
  "the accepted operation": "List the ID documents this account accepts",
  "the 403 explanation": "Refused: credentials missing or wrong, a required header missing",
  "the supported sample response": "Faroe Islands",
  "the accepted sample response": "Gabon",
  "the accepted sample's timestamp": "2019-03-26T14:16:14.421Z",
};

const userDataDir = mkdtempSync(join(tmpdir(), "netverify-docs-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1400, height: 900 },
});
const problems = [];
try {
  const url = pathToFileURL(resolve(page)).href;
  await context.route("**/*", (route) => {
    const requested = route.request().url();
    if (requested === url || requested.startsWith("data:") || requested.startsWith("blob:")) {
      return route.continue();
    }
    problems.push(`the page asked for ${requested}; it must be self-contained`);
    return route.abort();
  });
  const tab = context.pages()[0] ?? (await context.newPage());
  tab.on("console", (message) => {
    if (message.type() === "error") problems.push(`the page logged an error: ${message.text()}`);
  });
  tab.on("pageerror", (error) => problems.push(`the page threw: ${error.message}`));
  await tab.goto(url, { waitUntil: "load" });
  // Redoc shows one section at a time: the overview first, each operation
  // under its sidebar entry, which a reader clicks.
  await tab.getByRole("link", { name: "ID types", exact: true }).first().click();
  let text = "";
  for (const operation of [CHECKS["the supported operation"], CHECKS["the accepted operation"]]) {
    await tab.getByRole("link", { name: new RegExp(operation) }).first().click();
    await tab.getByRole("heading", { name: operation }).first().waitFor({ timeout: 30_000 });
    // Expand the 200 sample (its button then turns into "Collapse all"),
    // read the page, then open the 403 tab of the responses.
    const expand = tab.getByRole("button", { name: "Expand all", exact: true }).filter({ visible: true });
    await expand.first().waitFor({ timeout: 30_000 });
    for (let clicks = 0; clicks < 10 && (await expand.count()) > 0; clicks++) {
      await expand.first().click();
    }
    text += await tab.evaluate(() => document.body.innerText);
    await tab.getByRole("tab", { name: "403", exact: true }).filter({ visible: true }).first().click();
    text += await tab.evaluate(() => document.body.innerText);
  }
  for (const [what, expected] of Object.entries(CHECKS)) {
    if (text.includes(expected)) console.log(`ok: ${what} (“${expected}”)`);
    else problems.push(`${what} is not on the page (no “${expected}”)`);
  }
  await tab.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${screenshot}`);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
for (const problem of problems) console.error(`FAILED: ${problem}`);
process.exitCode = problems.length > 0 ? 1 : 0;
