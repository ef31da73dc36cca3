// The editable control of one field, by x-type (tables and descriptions are laid out by the renderer).
import { CheckboxWidget, SelectWidget } from "./choice-widgets";
import { DateRangeWidget, DateTimeWidget, DateWidget } from "./date-widgets";
import { ReadOnlyValue } from "./display";
import { FileWidget } from "./file-widget";
import { NumberWidget } from "./number-widget";
import { DepartmentWidget, UserWidget } from "./org-widgets";
import { SignatureWidget } from "./signature-widget";
import { TextAreaWidget, TextWidget } from "./text-widgets";
import type { WidgetProps } from "./types";

export function FieldControl(props: WidgetProps) {
  switch (props.field["x-type"]) {
    case "text":
      return <TextWidget {...props} />;
    case "textarea":
      return <TextAreaWidget {...props} />;
    case "number":
    case "money":
      return <NumberWidget {...props} />;
    case "date":
      return <DateWidget {...props} />;
    case "datetime":
      return <DateTimeWidget {...props} />;
    case "date_range":
      return <DateRangeWidget {...props} />;
    case "select":
    case "radio":
    case "multi_select":
      return <SelectWidget {...props} />;
    case "checkbox":
      return <CheckboxWidget {...props} />;
    case "user":
      return <UserWidget {...props} />;
    case "department":
      return <DepartmentWidget {...props} />;
    case "attachment":
    case "image":
      return <FileWidget {...props} />;
    case "signature":
      return <SignatureWidget {...props} />;
    default:
      return <ReadOnlyValue field={props.field} value={props.value} dictionary={props.dictionary} id={props.id} />;
  }
}
