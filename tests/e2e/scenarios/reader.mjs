// The reader's view on a phone and on paper: wide tables keep their row labels and captions in
// view and say they scroll; A＋ keeps the focus when it reaches its largest size; printing keeps
// captions with their tables, has page margins and prints where each download lives.
import path from "node:path";

export default async function ({ scenario, assert, browser, base, args, phone, desktop }) {
  await scenario("phone: captions stay in view at the largest 关怀模式 size", async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await page.addInitScript(() => { localStorage.setItem("nianbao-care", "1"); localStorage.setItem("nianbao-font", "3"); });
    // The content pack's 2018 table is a list; the demo's 2021 application table is a grid of 10 columns.
    const demo = base.replace(/\/$/, "") + "/";
    await page.goto(demo + "2018/beijinggang/index.html");
    const seen = await page.evaluate(() => {
      const out = [];
      for (const box of document.querySelectorAll(".table-scroll")) {
        const text = box.querySelector("caption .caption-text");
        if (!text) continue;
        const b = box.getBoundingClientRect();
        const t = text.getBoundingClientRect();
        out.push([t.left >= b.left - 1 && t.right <= b.right + 1, text.textContent]);
      }
      return out;
    });
    assert(seen.length > 0, "captions found");
    for (const [inside, text] of seen) assert(inside, `caption in view at the largest size: ${text}`);
    await context.close();
  });

  await scenario("phone: row labels of a wide grid table stay while it scrolls, with a visible hint", async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    const { execFileSync } = await import("node:child_process");
    const fs = await import("node:fs");
    const site = path.join(args.work, "reader-demo");
    if (!fs.existsSync(site)) {
      execFileSync(args.bin, ["build", "--quiet", "--root", path.join(args.repo, "examples/demo"), "--output", site], { stdio: "ignore" });
    }
    await page.goto("file://" + path.join(site, "2021/baisha/index.html"));
    // The hint of the wide application table (the narrow tables above it fit and show none).
    const note = page.locator("xpath=//table[@id='table-apps']/ancestor::div[contains(@class,'table-scroll')]/preceding-sibling::p[1]");
    assert(await note.isVisible(), "the 可左右滑动 hint is visible on a phone");
    const result = await page.evaluate(() => {
      const table = document.getElementById("table-apps");
      const box = table.closest(".table-scroll");
      box.scrollLeft = 400;
      const label = table.querySelector("tbody th");
      const b = box.getBoundingClientRect();
      const l = label.getBoundingClientRect();
      const caption = table.querySelector("caption .caption-text").getBoundingClientRect();
      return { scrolled: box.scrollLeft, labelLeft: l.left, boxLeft: b.left, captionLeft: caption.left, text: label.textContent };
    });
    assert(result.scrolled > 0, "the table scrolls sideways");
    assert(Math.abs(result.labelLeft - result.boxLeft) < 2, `the row label ${result.text} stays at the left edge: ${JSON.stringify(result)}`);
    assert(Math.abs(result.captionLeft - result.boxLeft) < 2, `the caption stays in view: ${JSON.stringify(result)}`);
    await context.close();
  });

  await scenario("A＋ at its largest size keeps the keyboard focus on a control", async () => {
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await page.goto(base + "2018/beijinggang/index.html");
    await page.focus("#font-larger");
    for (let i = 0; i < 6; i += 1) await page.keyboard.press("Enter");
    const state = await page.evaluate(() => ({
      focused: document.activeElement && document.activeElement.id,
      disabled: document.getElementById("font-larger").getAttribute("aria-disabled"),
      font: document.documentElement.getAttribute("data-font"),
    }));
    assert(state.font === "3", `at the largest size: ${JSON.stringify(state)}`);
    assert(state.disabled === "true", `A＋ says it can go no further: ${JSON.stringify(state)}`);
    assert(state.focused === "font-larger", `focus stays on A＋, not <body>: ${JSON.stringify(state)}`);
    await page.keyboard.press("Enter");
    assert(await page.evaluate(() => document.documentElement.getAttribute("data-font")) === "3", "pressing it again changes nothing");
    await context.close();
  });

  await scenario("print: A4 with margins, captions kept with their tables, download addresses printed", async () => {
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await page.goto(base + "2018/beijinggang/index.html");
    await page.emulateMedia({ media: "print" });
    const styles = await page.evaluate(() => {
      const caption = document.querySelector("table.official caption");
      const link = document.querySelector("a[data-print-url]");
      return {
        captionBreak: getComputedStyle(caption).breakAfter,
        after: getComputedStyle(link, "::after").content,
        url: link.getAttribute("data-print-url"),
        sticky: getComputedStyle(document.querySelector("table.official tbody th")).position,
      };
    });
    assert(styles.captionBreak === "avoid", `no page break after a caption: ${styles.captionBreak}`);
    assert(/^https?:\/\//.test(styles.url) && styles.after.includes(styles.url), `a download prints its address: ${styles.after}`);
    assert(styles.sticky === "static", "nothing sticky on paper");
    const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert(pages >= 2 && pages <= 12, `the report prints on a few A4 pages: ${pages}`);
    await context.close();
  });
}
