import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { defineConfig, type Plugin } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import solid from "vite-plugin-solid";

/** pdf.js's standard fonts (Helvetica and friends, for courier PDFs that do not embed them), served at /pdfjs/standard_fonts/. */
function pdfjsStandardFonts(): Plugin {
  const dir = join(
    dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")),
    "standard_fonts",
  );
  return {
    name: "consign-pdfjs-standard-fonts",
    generateBundle() {
      for (const file of readdirSync(dir)) {
        if (file.startsWith("LICENSE")) continue;
        this.emitFile({
          type: "asset",
          fileName: `pdfjs/standard_fonts/${file}`,
          source: readFileSync(join(dir, file)),
        });
      }
    },
  };
}

// Served as static assets by the edge Worker from apps/web/dist, same origin as /api, /auth and /sync.
export default defineConfig({
  plugins: [
    solid(),
    pdfjsStandardFonts(),
    VitePWA({
      registerType: "prompt",
      injectRegister: false,
      strategies: "generateSW",
      manifest: {
        name: "Consign — despatch desk",
        short_name: "Consign",
        description: "Pick, pack, print and confirm Amazon orders you fulfil yourself.",
        start_url: "/",
        scope: "/",
        display: "standalone",
        orientation: "any",
        background_color: "#f6f7f9",
        theme_color: "#154c79",
        icons: [
          { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "/icons/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        // The app shell and every lazy chunk (routes, workers) are precached; data never is.
        globPatterns: ["**/*.{js,css,html,png,svg,webmanifest,pfb,ttf}"],
        navigateFallback: "/index.html",
        navigateFallbackDenylist: [/^\/api\//, /^\/auth\//, /^\/sync\//, /^\/health/],
        cleanupOutdatedCaches: true,
        runtimeCaching: [],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
  ],
  worker: { format: "es" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    // CONSIGN_WEB_PROFILE=1: keep the names (a bench's CPU profile then says which function ran).
    minify: process.env.CONSIGN_WEB_PROFILE !== "1",
  },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
});
