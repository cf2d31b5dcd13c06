/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Checked and normalised by build/api-base.ts: '' (same origin) or an absolute origin without a trailing slash. */
  readonly VITE_API_BASE_URL: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
