// Short names for the server's schemas (generated from OpenAPI; see api/client.ts).
import type { components } from "./schema";

type Schemas = components["schemas"];

export type AppInfo = Schemas["App"];
export type AppPublic = Schemas["AppPublic"];
export type Draft = Schemas["Draft"];
export type Version = Schemas["Version"];
export type VersionBrief = Schemas["VersionBrief"];
export type Diff = Schemas["Diff"];
export type Issue = Schemas["Issue"];
export type VerifyResult = Schemas["VerifyResult"];
export type PublishedForm = Schemas["PublishedForm"];
export type DictionaryEntry = Schemas["DictionaryEntry"];
export type DictionaryEntryDetail = Schemas["DictionaryEntryDetail"];
export type DictionaryOption = Schemas["DictionaryOption"];
export type DictionaryUsage = Schemas["DictionaryUsage"];
