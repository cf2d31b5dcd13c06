export function buildBundle(entry: string, outDir: string): Promise<string[]>;
export function diffBundles(freshDir: string, committedDir: string): Promise<string[]>;
