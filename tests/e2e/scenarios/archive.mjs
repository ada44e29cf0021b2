// A year archive downloaded from the year page, unpacked, and browsed from disk (file://):
// the year's links work on disk; what lies outside the year (township pages, other years,
// search) is linked on the live site.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export default async function ({ scenario, assert, browser, base, site, args, shot, desktop }) {
  await scenario("year archive: download the 2018 zip, open it from file://, browse; the rest on the live site", async () => {
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await page.goto(base + "2018/index.html");
    const link = page.locator("a[href$='archive/2018.zip']").first();
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const zip = path.join(args.work, "2018.zip");
    await download.saveAs(zip);
    assert(fs.readFileSync(zip).equals(fs.readFileSync(path.join(site, "archive/2018.zip"))), "the zip downloads byte for byte");
    const dir = path.join(args.work, "archive-2018");
    execFileSync("python3", ["-m", "zipfile", "-e", zip, dir]);
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("requestfailed", (r) => errors.push(`failed ${r.url()}`));
    await page.goto(pathToFileURL(path.join(dir, "index.html")).href);
    await page.locator("main").getByRole("link", { name: /北景港/ }).first().click();
    await page.waitForLoadState();
    assert(page.url().startsWith("file://"), `stays on disk: ${page.url()}`);
    const h1 = await page.locator("h1").innerText();
    assert(/北景港/.test(h1), `a 北景港 page opens from disk: ${h1}`);
    assert(/beijinggang/.test(page.url()), `the report page: ${page.url()}`);
    const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")));
    assert(hrefs.some((h) => /^https?:\/\/.*townships\/beijinggang\//.test(h)), "the township page is the live site's");
    const action = await page.locator("form.site-search").getAttribute("action");
    assert(/^https?:\/\/.*search\/index\.html$/.test(action), `search is the live site's: ${action}`);
    const csv = await page.locator("a[href$='stats.csv']").first().getAttribute("href");
    assert(fs.existsSync(path.join(path.dirname(fileURLToPath(page.url())), csv)), `the year's downloads are on disk: ${csv}`);
    await page.locator("nav a", { hasText: "2018年度" }).first().click();
    await page.waitForLoadState();
    assert(page.url().startsWith("file://") && /2018\/index\.html$/.test(page.url()), `the year page opens on disk: ${page.url()}`);
    await shot(page, "archive-report-file");
    assert(errors.length === 0, `no script errors or missing files: ${errors.join(", ")}`);
    await context.close();
  });
}
