// What the Django page (designer_ui/views.py) hands the app at start: who is signed in,
// the language and the server's addresses. Read once from a JSON <script> tag.
export type Language = "zh-Hans" | "en";

export interface BootUser {
  id: string;
  username: string;
  name: string;
  department: { id: string; name: string } | null;
  is_superuser: boolean;
  permissions: string[];
}

export interface Boot {
  user: BootUser;
  language: Language;
  languages: { code: string; name: string }[];
  urls: {
    root: string;
    api: string;
    logout: string;
    password_change: string;
    set_language: string;
    api_docs: string;
    websocket: string;
  };
  csrf_cookie: string;
}

const FALLBACK: Boot = {
  user: { id: "", username: "", name: "", department: null, is_superuser: false, permissions: [] },
  language: "zh-Hans",
  languages: [
    { code: "zh-hans", name: "简体中文" },
    { code: "en", name: "English" },
  ],
  urls: {
    root: "/app/",
    api: "/api/v1/",
    logout: "/accounts/logout/",
    password_change: "/accounts/password/change/",
    set_language: "/i18n/setlang/",
    api_docs: "/api/docs/",
    websocket: "/ws/",
  },
  csrf_cookie: "csrftoken",
};

export function readBoot(doc: Document = document): Boot {
  const element = doc.getElementById("qiaoban-boot");
  if (!element?.textContent) return FALLBACK;
  return { ...FALLBACK, ...(JSON.parse(element.textContent) as Partial<Boot>) };
}

export function hasPermission(user: BootUser, code: string): boolean {
  return user.is_superuser || user.permissions.includes(code);
}
