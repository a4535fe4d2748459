import type { FormField } from "../../../store/control-panel/object-form";
import { bodyOf, readPostedEdit, reconcile, valuesOf } from "../../../store/control-panel/object-form";

const fields: FormField[] = [
  { name: "name", label: "Name", control: { type: "text" }, readOnly: true },
  { name: "enabled", label: "Enabled", control: { type: "checkbox" } },
  {
    name: "level",
    label: "Level",
    control: {
      type: "choice",
      legend: "Level",
      options: [
        { value: "low", label: "Low" },
        { value: "high", label: "High" },
      ],
    },
  },
  { name: "url", label: "URL", control: { type: "text", optional: true, trim: true } },
];

describe("edit forms over a list of fields", () => {
  it("encodes an object's fields as the form posts them, and a post back into a write body", () => {
    const values = valuesOf(fields, { name: "Yahoo!", enabled: false, level: "high", url: null });
    expect(values).toEqual({ name: "Yahoo!", enabled: "off", level: "high", url: "" });
    expect(bodyOf(fields, values, "clear")).toEqual({ enabled: false, level: "high", url: null });
    expect(bodyOf(fields, values, "omit")).toEqual({ enabled: false, level: "high" });
  });

  it("reads what the form was opened with from its hidden fields, and an unticked box as off", () => {
    const posted = readPostedEdit(fields, {
      revision: "7",
      "_opened.enabled": "on",
      "_opened.level": "low",
      "_opened.url": "",
      level: "high",
      url: "  https://a.example/x ",
    });
    expect(posted.revision).toBe(7);
    expect(posted.submitted).toEqual({ enabled: "off", level: "high", url: "https://a.example/x" });
    expect(posted.opened).toEqual({ enabled: "on", level: "low", url: "" });
    expect(posted.undecided.size).toBe(0);
  });

  it("gives an untouched field the current value, keeps the user's change, and flags a field both changed differently", () => {
    const merged = reconcile(fields, {
      opened: { enabled: "on", level: "low", url: "https://a.example/1" },
      submitted: { enabled: "on", level: "high", url: "https://a.example/mine" },
      current: { name: "P", enabled: "off", level: "low", url: "https://a.example/theirs" },
    });
    // enabled: untouched, blocked meanwhile: the block stays. level: only the user changed it.
    expect(merged.values).toMatchObject({ enabled: "off", level: "high", url: "https://a.example/theirs" });
    expect(merged.conflicts.map((conflict) => conflict.field.name)).toEqual(["url"]);
    expect(merged.outcomes.map((outcome) => [outcome.field.name, outcome.outcome])).toEqual([
      ["enabled", "current"],
      ["level", "mine"],
      ["url", "decide"],
    ]);
  });

  it("takes the same change made by both without asking, and treats a field without its opened value as touched", () => {
    const merged = reconcile(fields, {
      opened: { enabled: "on" },
      submitted: { enabled: "off", level: "high", url: "" },
      current: { enabled: "off", level: "low", url: "" },
    });
    expect(merged.values).toMatchObject({ enabled: "off", url: "" });
    expect(merged.conflicts.map((conflict) => conflict.field.name)).toEqual(["level"]);
  });

  it("keeps a field awaiting the user's decision flagged until the post carries a choice", () => {
    const undecided = readPostedEdit(fields, {
      revision: "9",
      "_opened.level": "low",
      "_mine.level": "high",
    });
    expect([...undecided.undecided]).toEqual(["level"]);
    const stillFlagged = reconcile(fields, {
      ...undecided,
      opened: { enabled: "off", level: "low", url: "" },
      current: { enabled: "off", level: "low", url: "" },
    });
    expect(stillFlagged.conflicts.map((conflict) => conflict.field.name)).toEqual(["level"]);

    const decided = readPostedEdit(fields, {
      revision: "9",
      "_opened.level": "low",
      "_mine.level": "high",
      level: "high",
    });
    const saved = reconcile(fields, {
      ...decided,
      opened: { enabled: "off", level: "low", url: "" },
      current: { enabled: "off", level: "low", url: "" },
    });
    expect(saved.conflicts).toEqual([]);
    expect(saved.values.level).toBe("high");
  });
});
