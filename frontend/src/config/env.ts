// What the build baked in. The value was validated at build time (build/api-base.ts); '' means same origin.
export const env = {
  apiBaseUrl: import.meta.env.VITE_API_BASE_URL,
} as const;
