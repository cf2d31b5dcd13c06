import type { Readable } from 'node:stream';

export interface StaticServer {
  url: string;
  setWebSocketOutage: (outage: boolean) => void;
  close: () => Promise<void>;
}
export interface OriginResponse {
  status: number;
  headers?: Record<string, string | number>;
  body?: Readable | string;
}
/** Where the default behaviour's requests go, after the viewer-request function rewrote the URI. */
export type Origin = (request: { uri: string; method: string }) => Promise<OriginResponse>;
export interface Behaviour {
  pathPattern: string;
  origin: 'api' | 'site';
  allowedMethods: string[];
}
export const BEHAVIOURS: Behaviour[];
export const DEFAULT_BEHAVIOUR: { origin: 'site'; allowedMethods: string[]; viewerRequest: string };
export function matchesPathPattern(pattern: string, path: string): boolean;
export function behaviourFor(path: string): Behaviour | typeof DEFAULT_BEHAVIOUR;
export function directoryOrigin(root: string): Origin;
export function startEdge(options: { site: Origin; api: string; port?: number; host?: string }): Promise<StaticServer>;
export function startStaticServer(options: { root: string; api: string; port?: number; host?: string }): Promise<StaticServer>;
