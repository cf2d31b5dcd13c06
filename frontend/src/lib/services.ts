// What the UI talks to, behind a context so component tests can hand in fakes.
import { createContext, useContext } from 'react';
import { env } from '../config/env';
import { type ApiClient, api } from './api-client';
import { type AuthStore, authStore } from './auth';
import { webSocketUrl } from './urls';

export interface Services {
  api: ApiClient;
  auth: AuthStore;
  /** The ws(s):// URL of an API path such as /api/ws/notebooks/<id>. */
  webSocketUrl: (path: string) => string;
  WebSocketImpl: typeof WebSocket;
}

export const browserServices: Services = {
  api,
  auth: authStore,
  webSocketUrl: (path) => webSocketUrl(env.apiBaseUrl, window.location, path),
  WebSocketImpl: globalThis.WebSocket,
};

export const ServicesContext = createContext<Services>(browserServices);

export const useServices = (): Services => useContext(ServicesContext);
