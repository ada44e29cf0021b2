// A year archive downloaded from the year page, unpacked, and browsed from disk (file://):
// relative links work and search runs from its script shards.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { searchFor } from "./search.mjs";

export default async function ({ scenario, assert, browser, base, site, args, shot, desktop }) {
  await scenario("year archive: download the 2018 zip, open it from file://, browse and search", async () => {
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
    await page.goto(pathToFileURL(path.join(dir, "search/index.html")).href);
    const hits = await searchFor(page, "依申请");
    await hits.first().waitFor();
    assert(/北景港/.test(await hits.first().innerText()), "search works inside the archive opened from disk");
    await hits.locator("a").first().click();
    await page.waitForLoadState();
    assert(page.url().startsWith("file://") && /beijinggang/.test(page.url()), `the hit opens on disk: ${page.url()}`);
    await shot(page, "archive-report-file");
    assert(errors.length === 0, `no script errors or missing files: ${errors.join(", ")}`);
    await context.close();
  });
}
