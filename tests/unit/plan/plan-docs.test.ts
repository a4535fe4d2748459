import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

// docs/plan.md shows a real rendered plan comment: the Markdown golden file of the renderings'
// tests, copied between its markers, never written by hand. UPDATE_GOLDEN=1 copies it again.

const DOCS = path.resolve(__dirname, "../../../docs/plan.md");
const GOLDEN = path.join(__dirname, "golden", "plan.md.golden");
const SECTION =
  /(<!-- plan-comment:begin -->\n<!-- prettier-ignore-start -->\n)([\s\S]*?)(<!-- prettier-ignore-end -->\n<!-- plan-comment:end -->)/;

it("docs/plan.md shows the golden Markdown rendering of a plan, as the renderer wrote it", () => {
  const docs = readFileSync(DOCS, "utf8");
  const golden = readFileSync(GOLDEN, "utf8");
  if (process.env.UPDATE_GOLDEN === "1") {
    writeFileSync(
      DOCS,
      docs.replace(SECTION, (_all, begin: string, _old, end: string) => `${begin}${golden}${end}`),
    );
  }
  const section = SECTION.exec(readFileSync(DOCS, "utf8"));
  expect(section?.[2]).toBe(golden);
});
