// A form with one field of every kind the condition builder offers (for the tests).
import { fromDocument, type DesignerModel } from "../../form-designer/model";
import type { DictionarySnapshot, FieldSchema, FormDocument } from "../../schema/form";

const label = (zh: string, en: string) => ({ zh, en });

const FIELDS: Record<string, FieldSchema> = {
  title: { "x-type": "text", type: "string", "x-label": label("标题", "Title") },
  note: { "x-type": "textarea", type: "string", "x-label": label("备注", "Note") },
  amount: { "x-type": "number", type: "number", "x-label": label("金额", "Amount") },
  fee: { "x-type": "money", type: "number", "x-currency": "CNY", "x-label": label("费用", "Fee") },
  total: { "x-type": "computed", type: "number", "x-compute": { "+": [{ var: "form.amount" }, { var: "form.fee" }] }, "x-label": label("合计", "Total") },
  day: { "x-type": "date", type: "string", format: "date", "x-label": label("日期", "Date") },
  level: {
    "x-type": "select",
    type: "string",
    "x-label": label("客户等级", "Customer level"),
    "x-options": [
      { code: "A", label: label("重要", "Key") },
      { code: "B", label: label("普通", "Regular") },
      { code: "007", label: label("特殊", "Special") },
    ],
  },
  channel: {
    "x-type": "radio",
    type: "string",
    "x-label": label("渠道", "Channel"),
    "x-options": [
      { code: "web", label: label("网站", "Website") },
      { code: "phone", label: label("电话", "Phone") },
    ],
  },
  city: { "x-type": "select", type: "string", "x-dictionary": "city", "x-label": label("城市", "City") },
  tags: {
    "x-type": "multi_select",
    type: "array",
    "x-label": label("费用类型", "Expense types"),
    "x-options": [
      { code: "air", label: label("机票", "Air ticket") },
      { code: "hotel", label: label("酒店", "Hotel") },
      { code: "taxi", label: label("打车", "Taxi") },
    ],
  },
  extras: {
    "x-type": "checkbox",
    type: "array",
    "x-label": label("附加服务", "Extras"),
    "x-options": [
      { code: "wifi", label: label("无线网", "Wi-Fi") },
      { code: "meal", label: label("餐食", "Meal") },
    ],
  },
  urgent: { "x-type": "checkbox", type: "boolean", "x-label": label("加急", "Urgent") },
  trip: { "x-type": "date_range", type: "object", "x-label": label("出差日期", "Trip dates") },
  owner: { "x-type": "user", type: "string", "x-label": label("负责人", "Owner") },
  members: { "x-type": "user", type: "array", "x-multiple": true, "x-label": label("成员", "Members") },
  sheet: { "x-type": "attachment", type: "array", "x-label": label("附件", "Attachments") },
  when: { "x-type": "datetime", type: "string", format: "date-time", "x-label": label("时间", "Time") },
  intro: { "x-type": "description", "x-content": label("说明", "About") },
};

export const DOCUMENT: FormDocument = {
  schema_version: 1,
  schema: { type: "object", properties: FIELDS, required: [] },
  ui_schema: { order: Object.keys(FIELDS) },
};

export const DICTIONARY: DictionarySnapshot = {
  city: {
    options: [
      { code: "bj", label: label("北京", "Beijing"), enabled: true, parent: null },
      { code: "sh", label: label("上海", "Shanghai"), enabled: true, parent: null },
    ],
  },
};

export function testModel(): DesignerModel {
  return fromDocument(DOCUMENT);
}
