import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { configureApi } from "./api/client";
import { App } from "./app/app";
import { readBoot } from "./app/boot";
import { initI18n } from "./i18n";

const boot = readBoot();
initI18n(boot.language);
configureApi({ csrfCookie: boot.csrf_cookie });

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App boot={boot} />
    </StrictMode>,
  );
}
