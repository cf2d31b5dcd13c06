import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm start` end to end in Debian's Chromium (test/rehearsal.e2e.ts): the `rehearsal` phase of npm test.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    environment: 'node',
    include: ['test/**/*.e2e.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // This node may be older than the AWS SDK's next versions want; the test's own clients need not say so.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
