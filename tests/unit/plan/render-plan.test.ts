import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { renderMarkdown, renderText } from "../../../cli/plan/render-plan";
import { fixturePlan } from "./plan-fixture";

// The text and Markdown renderings of a plan against golden files (tests/unit/plan/golden),
// read as the reviewer of a pull request and the on-call engineer read them. After a deliberate
// change of the rendering, regenerate them with UPDATE_GOLDEN=1 and review the diff as a reader.

const GOLDEN = path.join(__dirname, "golden");

function golden(file: string, actual: string): void {
  const at = path.join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(at, actual);
  expect(existsSync(at)).toBe(true);
  expect(actual).toBe(readFileSync(at, "utf8"));
}

describe("the renderings of a plan", () => {
  const plan = fixturePlan();

  it("as text match the golden file", () => {
    golden("plan.txt.golden", renderText(plan));
  });

  it("as Markdown match the golden file", () => {
    golden("plan.md.golden", renderMarkdown(plan));
  });

  it("lead with one summary line that counts every action, the drift, the impact and the policies", () => {
    expect(renderText(plan).split("\n")[0]).toBe(
      "imfed plan: 1 to create, 1 to adopt, 1 to update, 1 to replace, 1 to delete, 1 error, 1 object drifted; " +
        "30 incoming requests of 4 providers change outcome; 2 mandatory policy violations, 0 advisory ones",
    );
    expect(renderMarkdown(plan).split("\n")[0]).toMatch(/^❌ \*\*imfed plan\*\*: 1 to create, /);
  });
});
