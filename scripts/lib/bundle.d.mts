export function buildBundle(entry: string, outDir: string): Promise<string[]>;
