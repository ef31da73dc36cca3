import { applyOrder, moveBy, moveIndex, moveOnto } from "./order";

describe("moving within one level", () => {
  const codes = ["air", "train", "hotel"];

  it("moves an item from one index to another", () => {
    expect(moveIndex(codes, 0, 2)).toEqual(["train", "hotel", "air"]);
    expect(moveIndex(codes, 2, 0)).toEqual(["hotel", "air", "train"]);
    expect(moveIndex(codes, 1, 9)).toEqual(["air", "hotel", "train"]);
    expect(moveIndex(codes, 5, 0)).toEqual(codes);
  });

  it("moves up and down by one, refusing past the ends", () => {
    expect(moveBy(codes, "hotel", -1)).toEqual(["air", "hotel", "train"]);
    expect(moveBy(codes, "air", 1)).toEqual(["train", "air", "hotel"]);
    expect(moveBy(codes, "air", -1)).toBeNull();
    expect(moveBy(codes, "hotel", 1)).toBeNull();
    expect(moveBy(codes, "meal", 1)).toBeNull();
  });

  it("drops a dragged item where the hovered one is", () => {
    expect(moveOnto(codes, "hotel", "air")).toEqual(["hotel", "air", "train"]);
    expect(moveOnto(codes, "air", "hotel")).toEqual(["train", "hotel", "air"]);
    expect(moveOnto(codes, "air", "air")).toBeNull();
    expect(moveOnto(codes, "air", "shanghai")).toBeNull();
  });

  it("renumbers the moved level only", () => {
    const options = [
      { code: "east", order: 0 },
      { code: "a", order: 0, parent: "east" },
      { code: "b", order: 1, parent: "east" },
      { code: "south", order: 1 },
    ];
    expect(applyOrder(options, ["b", "a"])).toEqual([
      { code: "east", order: 0 },
      { code: "a", order: 1, parent: "east" },
      { code: "b", order: 0, parent: "east" },
      { code: "south", order: 1 },
    ]);
  });
});
