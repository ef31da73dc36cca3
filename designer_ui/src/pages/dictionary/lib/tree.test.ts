import { buildTree, descendantsOf, parentChoices, parentOf, siblingCodes, visibleRows } from "./tree";

const region = [
  { code: "east", parent: null, order: 0 },
  { code: "shanghai", parent: "east", order: 0 },
  { code: "hangzhou", parent: "east", order: 1 },
  { code: "south", parent: null, order: 1 },
  { code: "shenzhen", parent: "south", order: 1 },
  { code: "guangzhou", parent: "south", order: 0 },
];

const codes = (rows: { option: { code: string } }[]) => rows.map((row) => row.option.code);

describe("buildTree", () => {
  it("nests options under their parents, siblings by order", () => {
    const roots = buildTree(region);
    expect(roots.map((node) => node.option.code)).toEqual(["east", "south"]);
    expect(roots[1]?.children.map((node) => node.option.code)).toEqual(["guangzhou", "shenzhen"]);
    expect(roots[1]?.children[0]?.depth).toBe(1);
  });

  it("keeps a flat list flat and in order", () => {
    const roots = buildTree([
      { code: "b", parent: null, order: 1 },
      { code: "a", parent: null, order: 0 },
    ]);
    expect(roots.map((node) => node.option.code)).toEqual(["a", "b"]);
    expect(roots.every((node) => node.children.length === 0 && node.depth === 0)).toBe(true);
  });

  it("makes roots of options whose parent is missing or forms a cycle", () => {
    const roots = buildTree([
      { code: "orphan", parent: "gone", order: 0 },
      { code: "a", parent: "b", order: 1 },
      { code: "b", parent: "a", order: 2 },
      { code: "self", parent: "self", order: 3 },
    ]);
    expect(roots.map((node) => node.option.code).sort()).toEqual(["a", "b", "orphan", "self"]);
  });
});

describe("visibleRows", () => {
  it("lists rows depth first with depth, child count and sibling position", () => {
    const rows = visibleRows(buildTree(region));
    expect(codes(rows)).toEqual(["east", "shanghai", "hangzhou", "south", "guangzhou", "shenzhen"]);
    expect(rows[0]).toMatchObject({ depth: 0, childCount: 2, index: 0, siblings: 2 });
    expect(rows[2]).toMatchObject({ depth: 1, childCount: 0, index: 1, siblings: 2 });
  });

  it("hides the children of collapsed nodes", () => {
    const rows = visibleRows(buildTree(region), (code) => code !== "east");
    expect(codes(rows)).toEqual(["east", "south", "guangzhou", "shenzhen"]);
  });
});

describe("levels and parents", () => {
  it("gives the codes of one level in display order", () => {
    expect(siblingCodes(region, null)).toEqual(["east", "south"]);
    expect(siblingCodes(region, "south")).toEqual(["guangzhou", "shenzhen"]);
    expect(siblingCodes(region, "shanghai")).toEqual([]);
  });

  it("finds the parent as the tree sees it", () => {
    expect(parentOf(region, "hangzhou")).toBe("east");
    expect(parentOf(region, "east")).toBeNull();
    expect(parentOf([{ code: "x", parent: "missing" }], "x")).toBeNull();
  });

  it("never offers an option itself or its descendants as its parent", () => {
    expect([...descendantsOf(region, "east")].sort()).toEqual(["east", "hangzhou", "shanghai"]);
    expect(codes(parentChoices(region, "east"))).toEqual(["south", "guangzhou", "shenzhen"]);
    expect(codes(parentChoices(region, null))).toHaveLength(6);
  });
});
