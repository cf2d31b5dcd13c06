import type { components } from './schema';

export type { components, paths } from './schema';

/** A named schema of the API: a REST body, a cell output, or a WebSocket message (`Schema<'ServerMessage'>`). */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
