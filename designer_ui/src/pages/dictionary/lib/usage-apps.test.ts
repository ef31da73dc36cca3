import { usesByApp } from "./usage";

describe("usesByApp", () => {
  it("groups drafts and versions per app and keeps each field once", () => {
    const apps = usesByApp([
      { source: "definitions", app: "travel", app_name: "差旅申请", version: null, fields: ["expense_type"] },
      { source: "definitions", app: "travel", app_name: "差旅申请", version: 1, fields: ["expense_type"] },
      { source: "definitions", app: "travel", app_name: "差旅申请", version: 3, fields: ["expense_type", "items.kind"] },
      { source: "definitions", app: "claims", app_name: "报销", version: 2, fields: ["kind"] },
      { source: "records" },
    ]);
    expect(apps).toEqual([
      { app: "claims", appName: "报销", draft: false, versions: [2], fields: ["kind"] },
      { app: "travel", appName: "差旅申请", draft: true, versions: [3, 1], fields: ["expense_type", "items.kind"] },
    ]);
    expect(usesByApp(undefined)).toEqual([]);
  });
});
