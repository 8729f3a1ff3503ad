import { describe, expect, it } from "vitest";
import { breakable, escapeHtml, html, raw } from "./escape";

describe("escapeHtml", () => {
  it("escapes the characters that matter in content and attributes", () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y' \`z\``)).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &#96;z&#96;",
    );
  });

  it("renders null and undefined as nothing, numbers as text", () => {
    expect(escapeHtml(null)).toBe("");
    expect(escapeHtml(undefined)).toBe("");
    expect(escapeHtml(42)).toBe("42");
  });
});

describe("html", () => {
  it("escapes interpolated strings", () => {
    const name = `<img src=x onerror="alert(1)">`;
    expect(html`<p title="${name}">${name}</p>`.toString()).toBe(
      "<p title=\"&lt;img src=x onerror=&quot;alert(1)&quot;&gt;\">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>",
    );
  });

  it("does not escape nested templates or raw markup twice", () => {
    const inner = html`<strong>${"a & b"}</strong>`;
    expect(html`<p>${inner}${raw("<br>")}</p>`.toString()).toBe("<p><strong>a &amp; b</strong><br></p>");
  });

  it("joins arrays and drops null, undefined and false", () => {
    const items = ["<a>", "b"].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}`.toString()).toBe("<ul><li>&lt;a&gt;</li><li>b</li></ul>");
  });

  it("keeps user data inert when parsed by the browser", () => {
    const div = document.createElement("div");
    div.innerHTML = html`<p>${`<b onclick="x()">hi</b>`}</p>`.toString();
    expect(div.querySelector("b")).toBeNull();
    expect(div.textContent).toBe(`<b onclick="x()">hi</b>`);
  });
});

describe("breakable", () => {
  it("adds break opportunities after @ and dots, escaping the rest", () => {
    expect(breakable("a.b@c<d>.uk").toString()).toBe("a.<wbr>b@<wbr>c&lt;d&gt;.<wbr>uk");
    expect(breakable("plain").toString()).toBe("plain");
  });
});
