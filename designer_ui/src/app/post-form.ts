import { readCookie } from "../api/csrf";

/** Submit a classic form POST (sign out, language) with the CSRF token: the page navigates. */
export function postForm(action: string, fields: Record<string, string>, doc: Document = document): void {
  const form = doc.createElement("form");
  form.method = "post";
  form.action = action;
  const all = { ...fields, csrfmiddlewaretoken: readCookie("csrftoken", doc.cookie) ?? "" };
  for (const [name, value] of Object.entries(all)) {
    const input = doc.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  doc.body.appendChild(form);
  form.submit();
}
