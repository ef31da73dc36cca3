import { describe, expect, it } from "vitest";

import { categoriesOf, statusTags } from "./status";

describe("statusTags", () => {
  it("never published", () => {
    expect(statusTags({ published_version: null, has_unpublished_changes: true })).toEqual([{ kind: "never-published" }]);
  });

  it("published and in sync", () => {
    expect(statusTags({ published_version: { number: 3 }, has_unpublished_changes: false })).toEqual([
      { kind: "published", version: 3 },
    ]);
  });

  it("published with draft edits", () => {
    expect(statusTags({ published_version: { number: 1 }, has_unpublished_changes: true })).toEqual([
      { kind: "published", version: 1 },
      { kind: "unpublished-changes" },
    ]);
  });

  it("archived comes first", () => {
    expect(statusTags({ is_archived: true, published_version: null, has_unpublished_changes: true })).toEqual([
      { kind: "archived" },
      { kind: "never-published" },
    ]);
  });
});

describe("categoriesOf", () => {
  it("dedupes, trims, drops empty ones and sorts", () => {
    expect(categoriesOf([{ category: "人事" }, { category: "" }, { category: " 财务 " }, { category: "人事" }, {}])).toHaveLength(2);
    expect(categoriesOf([{ category: "b" }, { category: "a" }], "en")).toEqual(["a", "b"]);
  });
});
