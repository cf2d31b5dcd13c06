import type { Edge, EdgeBehaviour, OriginResponse, SiteOrigin } from '../../packages/local-aws/src/edge';

export type StaticServer = Edge;
export type { OriginResponse };
/** Where the default behaviour's requests go, after the viewer-request function rewrote the URI. */
export type Origin = SiteOrigin;
export type Behaviour = EdgeBehaviour & { pathPattern: string; origin: 'api' };
export const BEHAVIOURS: Behaviour[];
export const DEFAULT_BEHAVIOUR: { origin: 'site'; allowedMethods: string[]; viewerRequest: 'spa_fallback' };
export function directoryOrigin(root: string): Origin;
export function startEdge(options: { site: Origin; api: string; port?: number; host?: string }): Promise<StaticServer>;
export function startStaticServer(options: { root: string; api: string; port?: number; host?: string }): Promise<StaticServer>;
