import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is static files that the API serves at `/`; in `vite dev` the API paths are proxied.
const api = process.env.VIGIL_API_URL ?? 'http://127.0.0.1:3000';
const apiPaths = ['/auth', '/api', '/compliance', '/workspaces', '/ack', '/openapi.json'];

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: { proxy: Object.fromEntries(apiPaths.map((p) => [p, { target: api, changeOrigin: false }])) },
});
