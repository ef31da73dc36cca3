import { render, screen } from "@testing-library/react";

import { initI18n } from "../../i18n";
import type { FieldSchema } from "../../schema/form";
import { ReadOnlyValue } from "./display";

const owner = { "x-type": "user", type: "string", "x-label": { zh: "负责人" } } as FieldSchema;

beforeAll(() => {
  initI18n("zh-Hans");
});

afterEach(() => {
  vi.unstubAllGlobals();
});

test("a read-only person shows their name, fetched once by id", async () => {
  const fetchMock = vi.fn(async (request: Request) => {
    const url = new URL(request.url);
    expect(url.pathname).toBe("/api/v1/users/");
    expect(url.searchParams.get("ids")).toBe("424");
    return new Response(JSON.stringify({ count: 1, next: null, previous: null, results: [{ id: 424, name: "李娜", username: "lina" }] }), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  render(<ReadOnlyValue field={owner} value="424" />);
  expect(await screen.findByText("李娜")).toBeTruthy();
  render(<ReadOnlyValue field={owner} value="424" />); // known now: no second request
  expect(fetchMock).toHaveBeenCalledTimes(1);
});

test("without a server the id stays shown", async () => {
  vi.stubGlobal("fetch", vi.fn(async () => { throw new TypeError("offline"); }));
  render(<ReadOnlyValue field={owner} value="425" />);
  expect(await screen.findByText("425")).toBeTruthy();
});
