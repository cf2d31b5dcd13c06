// Renders routes inside the app's providers with fake services: a fetch double and a WebSocket double.
import { render } from '@testing-library/react';
// react-router's own RouterProvider: under vitest, react-router/dom loads the CommonJS build of react-router and with
// it a second router context that the routes' hooks would not see.
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';
import { AppProvider } from '../app/provider';
import { type AuthSession, AuthStore } from '../lib/auth';
import type { Services } from '../lib/services';
import { fakeApi } from './fake-api';
import { FakeWebSocketClass } from './fake-websocket';

/** A server without sign-in or token, whose caller is the local admin (what `npm start` without settings gives). */
export const OPEN_SESSION: AuthSession = {
  mode: 'open',
  user: { id: 'local', name: 'Local user', email: null, groups: [], admin: true },
  csrf_token: null,
  login_url: null,
};

/** An auth store that already knows the session, so the app renders without asking for it. */
export function authWith(session: AuthSession = OPEN_SESSION): AuthStore {
  const auth = new AuthStore(null);
  auth.setSession(session);
  return auth;
}

export function renderApp(routes: RouteObject[], path: string, apiRoutes: Parameters<typeof fakeApi>[1], auth = authWith()) {
  const { api, requests } = fakeApi(auth, apiRoutes);
  const services: Services = {
    api,
    auth,
    webSocketUrl: (wsPath) => `ws://app.test${wsPath}`,
    WebSocketImpl: FakeWebSocketClass,
  };
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const view = render(
    <AppProvider services={services}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...view, router, requests, auth };
}
