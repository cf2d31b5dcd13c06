export function findProviderMirror(candidates?: string[]): string | undefined;
export function terraformUnavailable(): string | undefined;
export function terraformEnv(): Record<string, string>;
