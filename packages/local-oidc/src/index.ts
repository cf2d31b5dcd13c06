export { startLocalOidc } from './server';
export type { LocalOidc, LocalOidcOptions } from './server';
export type { LocalOidcClient } from './provider';
export { DEMO_USERS } from './demo-users';
export type { DemoUser } from './demo-users';
