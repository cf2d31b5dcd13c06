import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, loadEnv } from 'vite';
import { ALLOW_INSECURE_FLAG, checkApiBaseUrl, isTruthy } from './build/api-base.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(({ mode }) => {
  // Every variable, not only VITE_*: the insecure-URL flag and the dev proxy target stay out of the bundle.
  const env = { ...loadEnv(mode, root, ''), ...process.env };
  const apiBaseUrl = checkApiBaseUrl(env.VITE_API_BASE_URL, isTruthy(env[ALLOW_INSECURE_FLAG]));
  const devBackend = env.NOTEBOOK_API_TARGET || 'http://127.0.0.1:8000';
  return {
    root,
    plugins: [react()],
    define: { 'import.meta.env.VITE_API_BASE_URL': JSON.stringify(apiBaseUrl) },
    server: {
      // Same origin in development too: REST and the WebSocket go through this proxy to the local backend.
      proxy: { '/api': { target: devBackend, ws: true } },
    },
    build: {
      target: 'es2022',
      // Monaco and Plotly are big by nature; they are lazy chunks, and bench/frontend guards the initial route.
      chunkSizeWarningLimit: 5000,
      // Bundling Monaco's worker is the known slow step; a timing report on every build is noise.
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
    worker: { format: 'es' },
  };
});
