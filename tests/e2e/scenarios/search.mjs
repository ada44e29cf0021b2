// Search on the published site: a phrase typed on a phone — also in traditional characters or
// with a wrong character — finds 北景港镇's report with a highlighted snippet, filters narrow it,
// and the hit opens the report.
import fs from "node:fs";
import path from "node:path";

export async function searchFor(page, query) {
  await page.fill("#search-q", query);
  await page.press("#search-q", "Enter");
  // Submitting says 正在搜索… at once and the results come after it: wait for them, or the
  // previous query's results are what gets counted.
  await page.waitForFunction(() => {
    const status = document.querySelector("#search-status")?.textContent.trim() ?? "";
    return status.length > 0 && !status.startsWith("正在搜索");
  });
  return page.locator("#search-results li");
}

export default async function ({ scenario, assert, browser, base, site, shot, phone, axeCheck }) {
  await scenario("search: a Chinese phrase from the report finds it on a phone, and the hit opens it", async () => {
    assert(fs.existsSync(path.join(site, "search/index.html")), "the site has a search page");
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(base);
    await page.fill("#site-search-q", "依申请");
    await page.press("#site-search-q", "Enter");
    await page.waitForURL(/search\/index\.html\?q=/);
    await page.waitForSelector("#search-results li");
    for (const query of ["依申请", "政务公开", "北景港", "信息公开工作年度报告", "依申請公開", "政务公开工做"]) {
      const hits = await searchFor(page, query);
      await hits.first().waitFor();
      const first = hits.first();
      const text = await first.innerText();
      assert(/北景港/.test(text), `「${query}」 finds the 北景港镇 report: ${text}`);
      assert(/2018/.test(text), `the hit says its year: ${text}`);
      const marks = await first.locator("mark").allInnerTexts();
      assert(marks.length > 0 && marks.join("").length > 0, `「${query}」 is highlighted in the hit`);
    }
    const none = await searchFor(page, "量子计算机火星基地");
    assert((await none.count()) === 0, "a phrase that is not in any report finds nothing");
    assert(/没有|0/.test(await page.locator("#search-status").innerText()), "and says so");
    await searchFor(page, "政务公开");
    await page.selectOption("#search-year", "2018");
    await page.waitForSelector("#search-results li");
    await shot(page, "search-phone");
    await axeCheck(page, "search results");
    await page.locator("#search-results li a").first().click();
    await page.waitForLoadState();
    assert(/\/2018\/beijinggang\/(index\.html)?/.test(page.url()), `the hit opens the report: ${page.url()}`);
    assert(errors.length === 0, `no script errors: ${errors.join(", ")}`);
    await context.close();
  });
}
