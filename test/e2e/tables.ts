import { expect, type Page } from "@playwright/test";

/**
 * Every table on the page reads whole: no header is cut short (PatternFly truncates a header to its column's width
 * unless told to wrap: "Clus…"), and no value of a column of short values (app/ui/columns.ts `fit`: names, states,
 * times) is broken over two lines ("team-" over "0"), and none is wider than the page (app/ui/data-table.tsx lets it
 * scroll sideways rather than cut it off), and no select in a row shows its choice cut short ("memb▾"). A value is a
 * text node: a cell may stack several (a VIP per line).
 */
export async function expectTablesReadWhole(page: Page) {
  // a table is a skeleton until the page has hydrated (app/ui/data-table.tsx): read the table, not its stand-in
  await expect(page.locator("main .pf-v6-c-skeleton")).toHaveCount(0);
  const problems = await page.evaluate(() => {
    const found: string[] = [];
    const pen = document.createElement("canvas").getContext("2d")!;
    const tables = [...document.querySelectorAll("main table")];
    for (const table of tables) {
      const label = table.getAttribute("aria-label") ?? "a table";
      const frame = table.parentElement!;
      if (frame.scrollWidth > frame.clientWidth + 1) found.push(`${label}: ${frame.scrollWidth - frame.clientWidth} px of it are scrolled out of sight`);
      for (const th of table.querySelectorAll("thead th")) {
        for (const el of [th, ...th.querySelectorAll("*")]) {
          if (el.scrollWidth > el.clientWidth + 1) found.push(`${label}: the header "${th.textContent}" is cut short`);
        }
      }
      for (const select of table.querySelectorAll("select")) {
        const style = getComputedStyle(select);
        pen.font = style.font;
        const choice = select.selectedOptions[0]?.text ?? "";
        // up to PatternFly's caret, drawn over the select's right end, with a little air
        const caret = select.parentElement?.querySelector("[class*=form-control__toggle-icon]")?.getBoundingClientRect().left ?? select.getBoundingClientRect().right;
        const room = caret - select.getBoundingClientRect().left - parseFloat(style.paddingLeft);
        if (pen.measureText(choice).width + 4 > room) found.push(`${label}: the choice "${choice}" is cut short`);
      }
      for (const td of table.querySelectorAll("tbody td.pf-m-fit-content")) {
        const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
          if (!text.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(text);
          const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top);
          if (tops.length && Math.max(...tops) - Math.min(...tops) > 4) found.push(`${label}: "${text.textContent}" is broken over lines`);
        }
      }
    }
    return { tables: tables.length, found };
  });
  expect(problems.tables, "tables on the page").toBeGreaterThan(0);
  expect(problems.found).toEqual([]);
}
