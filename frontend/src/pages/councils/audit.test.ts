import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../../api";
import { fill, startApp, stopApp, submit, text } from "../../test/app";
import { mockFetch, settle } from "../../test/fetchMock";
import { user } from "../../test/fixtures";
import { auditQuery } from "./audit";

const fiona = user(["finance"], { id: "u5", name: "Fiona Finance" });
const event = { id: "e1", at: "2026-11-25T10:00:00+00:00", actor_user_id: "u4", actor_name: "Alice Admin", council_id: "c1", action: "council_settings.update", entity: "council", entity_id: "c1", summary: "Settings changed: po_required" };
const id = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("audit trail", () => {
  it("keeps only valid filters", () => {
    const query = auditQuery(new URLSearchParams(`entity=booking&entity_id=${id}&actor=nope&from=2026-11-01&to=soon&x=1`));
    expect(query.toString()).toBe(`entity=booking&entity_id=${id}&from=2026-11-01`);
  });

  it("lists events, filters them and links the CSV with the same filters", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: fiona },
      "GET /api/v1/audit": { status: 200, body: { items: [event], next_cursor: "n1" } },
      "GET /api/v1/audit/people": { status: 200, body: [{ user_id: "u4", name: "Alice Admin" }] },
    });
    await startApp(`/audit?entity=council&entity_id=${id}`);
    expect(calls.find((c) => c.url.startsWith("/api/v1/audit?"))?.url).toBe(`/api/v1/audit?entity=council&entity_id=${id}`);
    expect(text("#audit tbody")).toContain("Alice Admin");
    expect(document.querySelector("a[download]")?.getAttribute("href")).toBe(`/api/v1/audit.csv?entity=council&entity_id=${id}`);
    expect(document.querySelector("a[rel=next]")?.getAttribute("href")).toContain("cursor=n1");
    fill("from-day", "31");
    fill("from-month", "2");
    fill("from-year", "2026");
    submit(document.querySelector<HTMLFormElement>("#audit-filter"));
    await settle();
    expect(text("#from-error")).toContain("must be a real date");
    fill("from-day", "1");
    fill("from-month", "11");
    fill("from-year", "2026");
    (document.getElementById("actor") as HTMLSelectElement).value = "u4";
    fill("entity-id", "");
    submit(document.querySelector<HTMLFormElement>("#audit-filter"));
    await settle();
    expect(window.location.search).toBe("?entity=council&actor=u4&from=2026-11-01");
  });
});
