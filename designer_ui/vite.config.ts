/// <reference types="vitest/config" />
// Vite builds the UI into dist/ with a manifest; Django (designer_ui/views.py) reads the
// manifest and serves the hashed files under /static/ui/ behind the session login.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/static/ui/",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2500,
    rollupOptions: { input: "index.html" },
  },
  server: {
    // `npm run dev` (optional, for front-end work): the API and login stay on Django.
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/accounts": "http://127.0.0.1:8000",
      "/i18n": "http://127.0.0.1:8000",
      "/ws": { target: "ws://127.0.0.1:8000", ws: true },
    },
  },
  test: {
    globals: true,
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
    css: false,
  },
});
