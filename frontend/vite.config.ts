/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The SPA is served by the FastAPI app at "/" (see app/main.py); the build goes to frontend/dist.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    // Keep every asset as a file: the server's CSP allows no inline data for scripts.
    assetsInlineLimit: 0,
  },
  css: {
    preprocessorOptions: {
      scss: {
        // GOV.UK Frontend's own Sass raises deprecation warnings we cannot fix.
        quietDeps: true,
        silenceDeprecations: ["import", "global-builtin", "slash-div", "if-function"],
      },
    },
    // GOV.UK Frontend still carries old IE hacks (e.g. `*zoom`) that lightningcss rejects.
    lightningcss: {
      errorRecovery: true,
    },
  },
  server: {
    // `npm run dev` proxies the API to a backend started with `talentpool serve`.
    proxy: {
      "/api": "http://127.0.0.1:8000",
    },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
