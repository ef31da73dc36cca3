// The form renderer's public API (the designer's preview and the end-user workspace use it).
//
// evaluateForm paths: `visible` / `required` hold top-level keys ("budget") and sub-table
// cells by row ("companions.0.name"); `required` also holds statically required columns
// as "companions.name". validateForm pointers are the server's ("/companions/0/phone").
export { FormRenderer, type FormRendererProps } from "./form-renderer";
export { evaluateForm, type Evaluation } from "./lib/evaluate";
export { validateForm, type ValidateOptions } from "./lib/validate";
export { issueText } from "./lib/messages";
export { initialValue } from "./lib/initial";
export { UserPicker } from "./widgets/org-widgets";
export type { RendererUser } from "./widgets/types";
