// Pages fit the screen: no page type is wider than the viewport from a 320 px phone to a 1280 px
// desktop, in normal and in 关怀模式 at its largest size, on the content pack and on the demo site
// (wide 2019/2021 tables, eight-year comparisons); download links on a phone are not covered by
// anything and download when tapped.
import { execFileSync } from "node:child_process";
import path from "node:path";

const WIDTHS = [320, 390, 768, 1280];

const PACK_PAGES = ["", "2018/index.html", "2018/beijinggang/index.html", "townships/beijinggang/index.html",
  "county/index.html", "data/index.html", "search/index.html", "no-such-page/index.html"];
const DEMO_PAGES = ["", "2020/index.html", "2020/baisha/index.html", "2022/qingshan/index.html",
  "2016/liulin/index.html", "townships/baisha/index.html", "townships/qingshan/index.html",
  "county/index.html", "data/index.html", "search/index.html"];

async function overflow(page) {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const width = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
    const escaping = [];
    if (width > viewport) {
      for (const el of document.querySelectorAll("body *")) {
        const box = el.getBoundingClientRect();
        if (box.width > 0 && box.right > viewport + 1) escaping.push(`${el.tagName.toLowerCase()}.${el.className}`);
      }
    }
    return { viewport, width, escaping: escaping.slice(0, 5) };
  });
}

export default async function ({ scenario, assert, browser, base, args, serveStatic, SUB_PATH, phone }) {
  const demoSite = path.join(args.work, "demo-public");
  const demoServer = await serveStatic(demoSite);
  const demoBase = `http://127.0.0.1:${demoServer.address().port}${SUB_PATH}`;
  execFileSync(args.bin, ["build", "--quiet", "--root", path.join(args.repo, "examples/demo"), "--output", demoSite,
    "--base-url", demoBase], { stdio: ["ignore", "ignore", "ignore"] });
  const sites = [["content pack", base, PACK_PAGES], ["demo", demoBase, DEMO_PAGES]];

  await scenario("no page is wider than the screen at 320, 390, 768 and 1280 px, also in 关怀模式 at A＋ max", async () => {
    const wide = [];
    let measured = 0;
    for (const care of [false, true]) {
      for (const width of WIDTHS) {
        const context = await browser.newContext({ viewport: { width, height: 800 }, isMobile: width < 768, hasTouch: width < 768 });
        const page = await context.newPage();
        if (care) {
          await page.addInitScript(() => { localStorage.setItem("nianbao-care", "1"); localStorage.setItem("nianbao-font", "3"); });
        }
        for (const [name, siteBase, pages] of sites) {
          for (const rel of pages) {
            await page.goto(siteBase + rel);
            const r = await overflow(page);
            measured += 1;
            if (r.width > r.viewport) {
              wide.push(`${name} ${rel || "home"} at ${width} px${care ? " (关怀模式)" : ""}: ${r.width} px wide (${r.escaping.join(", ")})`);
            }
          }
        }
        await context.close();
      }
    }
    assert(measured === 2 * WIDTHS.length * (PACK_PAGES.length + DEMO_PAGES.length), `every page measured: ${measured}`);
    assert(wide.length === 0, `pages wider than the viewport:\n    ${wide.join("\n    ")}`);
  });

  await scenario("phone: every download link of a report is on top where it is tapped, and downloads", async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    let tapped = 0;
    for (const [siteBase, rel] of [[base, "2018/beijinggang/index.html"], [demoBase, "2021/baisha/index.html"]]) {
      await page.goto(siteBase + rel);
      const links = page.locator("a[download]");
      const count = await links.count();
      assert(count >= 2, `${rel}: has download links (${count})`);
      for (let i = 0; i < count; i += 1) {
        const link = links.nth(i);
        await link.scrollIntoViewIfNeeded();
        // A link that wraps has one box per line: tap the middle of its first line.
        const box = await link.evaluate((a) => {
          const r = a.getClientRects()[0];
          return r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null;
        });
        assert(box && box.width > 0, `${rel}: download link ${i} is visible`);
        const hit = await page.evaluate(([x, y, index]) => {
          const target = document.querySelectorAll("a[download]")[index];
          const top = document.elementFromPoint(x, y);
          return top === target || target.contains(top) ? "" : `${top ? top.tagName + "." + top.className : "nothing"}`;
        }, [box.x + box.width / 2, box.y + box.height / 2, i]);
        assert(hit === "", `${rel}: download link ${i} (${await link.innerText()}) is covered by ${hit}`);
        const [download] = await Promise.all([page.waitForEvent("download"), page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2)]);
        assert((await download.path()) !== null, `${rel}: tapping link ${i} downloads it`);
        const named = await link.getAttribute("download");
        const href = await link.getAttribute("href");
        if (/stats\.(csv|json|xlsx)$/.test(href)) {
          assert(/^.+-\d{4}-统计表\.(csv|json|xlsx)$/.test(named), `${rel}: a data link names township and year: ${named}`);
        }
        if (named) {
          assert(download.suggestedFilename() === named, `${rel}: saved as ${download.suggestedFilename()}, not ${named}`);
        }
        tapped += 1;
      }
    }
    assert(tapped >= 4, `download links tapped: ${tapped}`);
    await context.close();
    demoServer.close();
  });
}
