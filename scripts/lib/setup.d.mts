export function ensureNodeModules(): Promise<void>;
export function ensureVenv(): Promise<void>;
export function venvBin(name: string): string;
