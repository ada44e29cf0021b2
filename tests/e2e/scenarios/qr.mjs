// The QR code of report and township pages: shown on wide screens with its caption, labelled
// for screen readers.
export default async function ({ scenario, assert, browser, base, desktop }) {
  await scenario("QR code: report and township pages show a labelled code with its caption", async () => {
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    for (const rel of ["2018/beijinggang/index.html", "townships/beijinggang/index.html"]) {
      await page.goto(base + rel);
      const figure = page.locator("figure.page-qr");
      assert(await figure.isVisible(), `${rel}: the QR code is visible on a wide screen`);
      assert((await figure.innerText()).includes("扫一扫在手机打开当前页"), `${rel}: the caption`);
      const svg = figure.locator("svg");
      assert((await svg.getAttribute("role")) === "img", `${rel}: the code is an image for screen readers`);
    }
    await context.close();
  });
}
