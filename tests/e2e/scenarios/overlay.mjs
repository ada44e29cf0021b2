// serve's error overlay on a phone (390 px): nothing runs off the right edge (long paths wrap),
// and the caret under the source line points at the offending value, scrolled into view.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";

export default async function ({ scenario, assert, browser, args, phone }) {
  await scenario("serve's error overlay at 390 px wraps paths and points its caret at the bad value", async () => {
    const root = path.join(args.work, "overlay-site-in-a-rather-long-folder-name-like-a-clerks-documents");
    fs.cpSync(path.join(args.repo, "examples/demo"), root, { recursive: true, filter: (src) => path.basename(src) !== ".nianbao-cache" });
    const child = spawn(args.bin, ["serve", "--port", "0", "--root", root], { stdio: ["ignore", "ignore", "pipe"] });
    try {
      const url = await new Promise((resolve, reject) => {
        let log = "";
        const timer = setTimeout(() => reject(new Error(`serve printed no address: ${log}`)), 30000);
        child.stderr.on("data", (chunk) => {
          log += chunk;
          const m = log.match(/http:\/\/127\.0\.0\.1:\d+\/[^\s]*/);
          if (m) { clearTimeout(timer); resolve(m[0]); }
        });
        child.on("exit", (code) => reject(new Error(`serve exited ${code}: ${log}`)));
      });
      const context = await browser.newContext(phone);
      const page = await context.newPage();
      const socket = page.waitForEvent("websocket", { timeout: 10000 });
      await page.goto(new URL("2020/qingshan/index.html", url).href);
      await socket;
      await page.waitForTimeout(300);
      const stats = path.join(root, "content/2020/qingshan/stats.yaml");
      const text = fs.readFileSync(stats, "utf8");
      const line = text.split("\n").find((l) => l.startsWith("  apps.new_received.total:"));
      assert(line, "the demo's stats.yaml has apps.new_received.total");
      fs.writeFileSync(stats, text.replace(line, "  apps.new_received.total: 12a"));
      await page.waitForSelector("#nianbao-error-overlay", { timeout: 15000 });
      await page.screenshot({ path: path.join(args.artifacts, "serve-error-overlay-phone.png") });
      const m = await page.evaluate(() => {
        const overlay = document.getElementById("nianbao-error-overlay");
        const wide = [...overlay.querySelectorAll("h2, pre:not(.nianbao-source)")]
          .filter((e) => e.scrollWidth > e.clientWidth + 1)
          .map((e) => e.textContent.slice(0, 80));
        const block = overlay.querySelector("pre.nianbao-source");
        const lines = block ? block.textContent.split("\n") : [];
        const source = lines.find((l) => l.includes("12a")) || "";
        const caret = lines.find((l) => l.includes("^")) || "";
        // Where the caret is drawn, and whether it is inside the block's visible part.
        let visible = false;
        if (block) {
          const node = block.firstChild;
          const at = block.textContent.lastIndexOf("^");
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + 1);
          const r = range.getBoundingClientRect();
          const b = block.getBoundingClientRect();
          visible = r.left >= b.left && r.right <= b.right;
        }
        return {
          page: document.documentElement.scrollWidth,
          overlay: [overlay.scrollWidth, overlay.clientWidth],
          wide,
          source,
          caret,
          visible,
          text: overlay.textContent,
        };
      });
      assert(m.page <= 390, `the page does not scroll sideways (${m.page} px)`);
      assert(m.overlay[0] <= m.overlay[1], `the overlay fits (${m.overlay})`);
      assert(m.wide.length === 0, `messages and paths wrap: ${m.wide.join(" | ")}`);
      assert(m.text.includes("content/2020/qingshan/stats.yaml"), "the file is named");
      assert(m.source && m.caret, `a source line and its caret: ${m.text}`);
      // Monospace columns as the terminal counts them: the caret is under the 1 of 12a.
      const width = (s) => [...s].reduce((w, c) => w + (/[\u1100-\uffff]/.test(c) ? 2 : 1), 0);
      const under = width(m.source.slice(0, m.source.indexOf("12a")));
      assert(width(m.caret.slice(0, m.caret.indexOf("^"))) === under, `the caret points at 12a:\n${m.source}\n${m.caret}`);
      assert(m.visible, "the caret is scrolled into view");
      await context.close();
    } finally {
      child.kill();
    }
  });
}
