import { fileURLToPath } from 'node:url';

/** The repository root, whatever the current directory: scripts and bundles resolve paths from it. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
