// Tables on a phone (390 px) and on a desktop (1280 px), measured in the browser: row labels keep
// a readable width and several characters a line, dates and format editions sit on one line, the
// 可左右滑动 hint shows exactly above the tables that overflow (and follows the window when it
// is resized; without script it never shows), the 2014 form's heading rows read as headings, and
// a report's 目录 holds its data files and a way to its attachments.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const VIEWPORTS = [["phone", 390, 844], ["desktop", 1280, 900]];
// Demo pages with every kind of table: a 2014 list, 2019/2021 grids, a township's years side by
// side with its format editions, the county and year comparisons.
const DEMO_PAGES = ["2016/baisha/index.html", "2021/baisha/index.html", "2023/baisha/index.html",
  "townships/baisha/index.html", "townships/qingshan/index.html", "2020/index.html", "county/index.html",
  "audit/index.html",
  // Embeds carry the same tables, with their own (inline) script for the hint.
  "embed/2021/baisha/index.html", "embed/townships/qingshan/index.html"];
// The smallest row label width, in em of the label's font: the stylesheet asks 8em (7em for a
// group label spanning rows); a squeezed column is one character, about 1em plus padding.
const LABEL_EM = 7.5;
const GROUP_EM = 6.5;

// Per table label: width in em and characters per printed line; per date or edition: lines.
function measure() {
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set();
    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    return tops.size;
  };
  const text = (el) => el.textContent.replace(/\s+/g, "");
  const labels = [...document.querySelectorAll(".table-scroll table.official th.label")].map((th) => {
    const em = parseFloat(getComputedStyle(th).fontSize);
    const n = lines(th);
    return { text: text(th), group: th.classList.contains("group"), em: th.getBoundingClientRect().width / em,
      perLine: text(th).length / Math.max(n, 1), lines: n };
  });
  const once = [...document.querySelectorAll(".table-scroll td.date, .table-scroll .date, .table-scroll th.era")]
    .filter((el) => /\d{4}/.test(el.textContent))
    .map((el) => {
      // A date cell's date alone: td.date may carry a basis in a span after it.
      const node = [...el.childNodes].find((c) => c.nodeType === Node.TEXT_NODE && /\d{4}/.test(c.textContent)) || el;
      const range = document.createRange();
      range.selectNodeContents(node);
      const tops = new Set();
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
      return { text: node.textContent.trim(), lines: tops.size };
    });
  const hints = [...document.querySelectorAll(".table-scroll")].map((box) => {
    const hint = box.previousElementSibling;
    return {
      hinted: !!(hint && hint.classList.contains("scroll-note")),
      shown: !!(hint && hint.classList.contains("scroll-note") && hint.getBoundingClientRect().height > 0),
      overflows: box.scrollWidth > box.clientWidth + 1,
      label: box.getAttribute("aria-labelledby") || box.getAttribute("aria-label") || "",
    };
  });
  return { labels, once, hints };
}

export default async function ({ scenario, assert, browser, base, args, shot, serveStatic, SUB_PATH }) {
  const demoSite = path.join(args.work, "phone-tables-demo");
  if (!fs.existsSync(demoSite)) {
    execFileSync(args.bin, ["build", "--quiet", "--root", path.join(args.repo, "examples/demo"), "--output", demoSite],
      { stdio: "ignore" });
  }
  const server = await serveStatic(demoSite);
  const demo = `http://127.0.0.1:${server.address().port}${SUB_PATH}`;

  await scenario("tables at 390 and 1280 px: readable labels, unbroken dates, the hint only where a table scrolls", async () => {
    let labels = 0;
    let dates = 0;
    const shown = { phone: 0, desktop: 0 };
    for (const [name, width, height] of VIEWPORTS) {
      const context = await browser.newContext({ viewport: { width, height }, isMobile: width < 768, hasTouch: width < 768 });
      const page = await context.newPage();
      for (const rel of DEMO_PAGES) {
        const response = await page.goto(demo + rel);
        assert(response.ok(), `${rel}: ${response.status()}`);
        await page.waitForLoadState("load");
        const m = await page.evaluate(measure);
        const at = `${rel} at ${width} px`;
        for (const l of m.labels) {
          const least = l.group ? GROUP_EM : LABEL_EM;
          assert(l.em >= least, `${at}: the row label 「${l.text}」 is ${l.em.toFixed(1)}em wide, under ${least}em`);
          // Never one character a line: a label of 8 or more characters keeps at least 4 a line.
          if (l.text.length >= 8) {
            assert(l.perLine >= 4, `${at}: 「${l.text}」 runs over ${l.lines} lines, ${l.perLine.toFixed(1)} characters a line`);
          }
          labels += 1;
        }
        for (const d of m.once) {
          assert(d.lines === 1, `${at}: 「${d.text}」 breaks over ${d.lines} lines`);
          dates += 1;
        }
        for (const h of m.hints.filter((x) => x.hinted)) {
          assert(h.shown === h.overflows,
            `${at}: the table ${h.label} ${h.overflows ? "scrolls but has no hint" : "fits but shows the hint"}`);
          if (h.shown) shown[name] += 1;
        }
      }
      if (name === "phone") await shot(page, "tables-phone");
      await context.close();
    }
    assert(labels > 100, `row labels measured: ${labels}`);
    assert(dates > 10, `dates and editions measured: ${dates}`);
    // The 2019/2021 grids are wider than a phone: the rule above was checked on shown hints too.
    assert(shown.phone > 0, `hints shown on a phone: ${shown.phone}`);
    console.log(`     ${labels} labels, ${dates} dates/editions; hints shown: ${shown.phone} at 390 px, ${shown.desktop} at 1280 px`);
  });

  await scenario("the swipe hint follows the window, and never shows without script", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(demo + "2021/baisha/index.html");
    const hint = page.locator("#table-apps").locator("xpath=ancestor::div[contains(@class,'table-scroll')]/preceding-sibling::p[1]");
    assert(await hint.evaluate((p) => p.classList.contains("scroll-note")), "the apps table has a hint");
    await page.waitForFunction(() => true);
    assert(await hint.isVisible(), "the 10-column apps table overflows at 390 px and says so");
    const box = page.locator("#table-apps").locator("xpath=ancestor::div[contains(@class,'table-scroll')]");
    const named = async () => (await box.getAttribute("aria-labelledby")) || "";
    assert((await named()).split(/\s+/).includes("scroll-hint"), `while it scrolls its region's name says so: ${await named()}`);
    await page.setViewportSize({ width: 1800, height: 900 });
    await page.waitForFunction((p) => p.hidden, await hint.elementHandle(), { timeout: 5000 });
    assert(!(await hint.isVisible()), "at 1800 px it fits and the hint is gone");
    assert(!(await named()).split(/\s+/).includes("scroll-hint") && (await named()).length > 0,
      `at 1800 px the region's name no longer speaks of a scroll: "${await named()}"`);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction((p) => !p.hidden, await hint.elementHandle(), { timeout: 5000 });
    await context.close();

    const noScript = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const still = await noScript.newPage();
    for (const rel of ["2021/baisha/index.html", "townships/qingshan/index.html"]) {
      await still.goto(demo + rel);
      const visible = await still.evaluate(() =>
        [...document.querySelectorAll(".scroll-note")].filter((p) => p.getBoundingClientRect().height > 0).length);
      const written = await still.locator(".scroll-note").count();
      assert(written > 0 && visible === 0, `${rel} without script: ${visible} of ${written} hints shown`);
    }
    await noScript.close();
  });

  await scenario("2014 form: heading rows read as headings, blanks as blanks", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(demo + "2016/baisha/index.html");
    const rows = await page.evaluate(() => [...document.querySelectorAll("table.official.list tbody tr")].map((tr) => {
      const [label, unit, value] = tr.cells;
      const style = (el) => { const s = getComputedStyle(el); return { bg: s.backgroundColor, image: s.backgroundImage, weight: s.fontWeight }; };
      return { text: label.textContent, heading: label.classList.contains("heading"), filled: value.textContent.trim() !== "" && !value.querySelector(".visually-hidden"),
        said: value.textContent, label: style(label), unit: style(unit), value: style(value) };
    }));
    const headings = rows.filter((r) => r.heading && !r.filled);
    assert(headings.length >= 5, `the 2014 form's heading rows: ${headings.map((r) => r.text).join("、")}`);
    for (const r of headings) {
      assert(r.value.image === "none" && r.unit.image === "none", `「${r.text}」: its empty cells are not drawn as unreported: ${JSON.stringify(r.value)}`);
      assert(r.value.bg === r.label.bg && r.unit.bg === r.label.bg, `「${r.text}」: one shade across the row: ${JSON.stringify(r)}`);
      assert(Number(r.label.weight) >= 700 && Number(r.value.weight) >= 700, `「${r.text}」 is bold`);
      assert(!r.said.includes("未填报"), `「${r.text}」 is not read out as 未填报`);
    }
    const blanks = rows.filter((r) => !r.heading && r.said.includes("未填报"));
    assert(blanks.length > 0, "the report has unreported figures");
    for (const r of blanks) assert(r.value.image !== "none", `the unreported 「${r.text}」 keeps its hatching`);
    await context.close();
  });

  await scenario("phone: a report's 目录 holds its data files and reaches attachments in two taps", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(demo + "2021/baisha/index.html");
    const toc = page.locator("nav.toc");
    const kinds = await toc.locator("a[download]").evaluateAll((links) => links.map((a) => a.getAttribute("href").split("/").pop()));
    assert(JSON.stringify(kinds.sort()) === JSON.stringify(["stats.csv", "stats.json", "stats.xlsx"]), `the 目录's data links: ${kinds}`);
    const tocBox = await toc.boundingBox();
    assert(tocBox && tocBox.y < 2 * 844, `the 目录 is near the top: ${JSON.stringify(tocBox)}`);
    const link = toc.locator("a[href$='stats.csv']");
    const box = await link.boundingBox();
    assert(box.height >= 24 && box.width >= 24, `the 目录's CSV link is big enough to tap: ${JSON.stringify(box)}`);
    await link.scrollIntoViewIfNeeded();
    const tapped = await link.boundingBox();
    const [download] = await Promise.all([page.waitForEvent("download"),
      page.touchscreen.tap(tapped.x + tapped.width / 2, tapped.y + tapped.height / 2)]);
    const bytes = fs.readFileSync(await download.path());
    assert(bytes.equals(fs.readFileSync(path.join(demoSite, "2021/baisha/stats.csv"))), "one tap in the 目录 downloads stats.csv");
    await context.close();

    // The content pack's report has attachments: 目录 → 附件 (tap 1) → the file (tap 2).
    const attach = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, acceptDownloads: true });
    const p2 = await attach.newPage();
    await p2.goto(base + "2018/beijinggang/index.html");
    const entry = p2.locator("nav.toc a[href='#attachments-title']");
    assert(await entry.count() === 1, "the 目录 lists 附件");
    await entry.scrollIntoViewIfNeeded();
    const e = await entry.boundingBox();
    await p2.touchscreen.tap(e.x + e.width / 2, e.y + e.height / 2);
    await p2.waitForFunction(() => location.hash === "#attachments-title");
    const file = p2.locator(".attachments a[download]").first();
    const f = await file.boundingBox();
    assert(f && f.y >= 0 && f.y + f.height <= 844, `after one tap the first attachment is on screen: ${JSON.stringify(f)}`);
    const [saved] = await Promise.all([p2.waitForEvent("download"), p2.touchscreen.tap(f.x + f.width / 2, f.y + f.height / 2)]);
    assert((await saved.path()) !== null, "the second tap downloads the attachment");
    await attach.close();
    server.close();
  });
}
