import { escapeHtml, html } from "../../../store/control-panel/html";
import { SessionStore } from "../../../store/control-panel/session-store";

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

describe("SessionStore", () => {
  it("finds a session by its id only, and ends it after the idle time", () => {
    let now = 0;
    const sessions = new SessionStore({ idleMs: 1000, maxAgeMs: 10_000, maxSessions: 10 }, () => now);
    const { id, session } = sessions.create("imfed_secret");
    expect(id).not.toContain("imfed_secret");
    expect(sessions.tryFind(id)).toBe(session);
    expect(sessions.tryFind(`${id}x`)).toBeUndefined();
    now = 900;
    expect(sessions.tryFind(id)).toBe(session);
    now = 2000;
    expect(sessions.tryFind(id)).toBeUndefined();
    expect(sessions.size).toBe(0);
  });

  it("ends a session at its maximum age even when it is used", () => {
    let now = 0;
    const sessions = new SessionStore({ idleMs: 1000, maxAgeMs: 2500, maxSessions: 10 }, () => now);
    const { id } = sessions.create("s");
    for (now = 500; now <= 2500; now += 500) expect(sessions.tryFind(id)).toBeDefined();
    now = 3000;
    expect(sessions.tryFind(id)).toBeUndefined();
  });

  it("keeps at most maxSessions, dropping the least recently used", () => {
    const sessions = new SessionStore({ idleMs: 1000, maxAgeMs: 1000, maxSessions: 2 }, () => 0);
    const first = sessions.create("a");
    const second = sessions.create("b");
    sessions.tryFind(first.id);
    sessions.create("c");
    expect(sessions.tryFind(first.id)).toBeDefined();
    expect(sessions.tryFind(second.id)).toBeUndefined();
  });
});
