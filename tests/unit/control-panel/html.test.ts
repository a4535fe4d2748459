import { escapeHtml, html } from "../../../store/control-panel/html";

describe("html templates", () => {
  it("escapes every interpolated text, in content and in attributes", () => {
    const reason = `<script>alert("x")</script> & 'quoted' \`tick\``;
    const fragment = html`<p title="${reason}">${reason}</p>`;
    expect(fragment.value).not.toContain("<script>");
    expect(fragment.value).toBe(
      `<p title="${escapeHtml(reason)}">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; &#96;tick&#96;</p>`,
    );
  });

  it("inserts nested templates as they are and joins lists, rendering nothing for null, undefined and false", () => {
    const items = ["a<b", "c"].map((item) => html`<li>${item}</li>`);
    // prettier-ignore
    const fragment = html`<ul>${items}</ul>${null}${undefined}${false}`;
    expect(fragment.value).toBe("<ul><li>a&lt;b</li><li>c</li></ul>");
  });
});
