// The oversight page printed with the browser's defaults (no background graphics): the statuses
// that need action must not depend on colour, and the as-of day is printed.
export default async function ({ scenario, assert, browser, base, desktop }) {
  await scenario("audit page: printed without backgrounds, 未发布 and 逾期 stand out and 截至 is printed", async () => {
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await page.goto(base + "audit/index.html");
    await page.emulateMedia({ media: "print" });
    const style = (selector) => page.locator(selector).first().evaluate((el) => {
      const s = getComputedStyle(el);
      return {
        weight: Number(s.fontWeight),
        border: s.borderTopStyle,
        borderWidth: parseFloat(s.borderTopWidth),
        color: s.color,
        text: el.textContent,
      };
    });
    const missing = await style(".audit-legend .status.missing");
    assert(missing.text === "未发布", `the legend's 未发布: ${missing.text}`);
    assert(missing.weight >= 700, `未发布 is bold in print: ${missing.weight}`);
    assert(missing.border === "double" && missing.borderWidth >= 2, `未发布 has a double frame: ${missing.border} ${missing.borderWidth}`);
    assert(missing.color === "rgb(0, 0, 0)", `未发布 is printed in black, not white on a background that is not printed: ${missing.color}`);
    const late = await style(".audit-legend .status.late");
    assert(late.weight >= 700 && late.border === "solid", `逾期 is bold and framed: ${JSON.stringify(late)}`);
    const onTime = await style(".audit-legend .status.on-time");
    assert(onTime.weight < 700, `按时 is not emphasised: ${onTime.weight}`);
    const asOf = page.locator(".audit-as-of");
    assert(await asOf.isVisible(), "the as-of line is printed");
    assert(/^截至 \d{4}-\d{2}-\d{2}$/.test((await asOf.innerText()).trim()), `the as-of line: ${await asOf.innerText()}`);
    await context.close();
  });
}
