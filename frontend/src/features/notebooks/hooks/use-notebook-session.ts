import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { webSocketCredentials } from '../../../lib/auth';
import { useServices } from '../../../lib/services';
import { useAuth } from '../../../lib/use-auth';
import { ReconnectingSocket } from '../../../lib/websocket';
import { notebooksApi } from '../api/notebooks';
import { initialSnapshot, NotebookSession, type OpenSocket, type SessionSnapshot } from '../model/notebook-session';

/** Close codes after which retrying cannot help until something changes (the sign-in, the token, the notebook). */
const TERMINAL_CLOSES: Record<number, string> = {
  4401: 'not signed in, or the access token was refused',
  4403: 'you may no longer open this notebook',
  4404: 'this notebook no longer exists',
};

export function useNotebookSession(notebookId: string): { session: NotebookSession | null; state: SessionSnapshot } {
  const services = useServices();
  const { version } = useAuth();
  const [session, setSession] = useState<NotebookSession | null>(null);

  useEffect(() => {
    const { api, auth } = services;
    const openSocket: OpenSocket = (id, handlers) =>
      new ReconnectingSocket({
        target: () => {
          const { protocols, query } = webSocketCredentials(auth.token);
          return { url: services.webSocketUrl(`/api/ws/notebooks/${encodeURIComponent(id)}`) + query, protocols };
        },
        isTerminal: ({ code }) => {
          const reason = TERMINAL_CLOSES[code];
          if (code === 4401) auth.unauthorized();
          return reason;
        },
        WebSocketImpl: services.WebSocketImpl,
        ...handlers,
      });
    const created = new NotebookSession(notebookId, notebooksApi(api), openSocket);
    setSession(created);
    const reconnect = () => {
      created.reconnect();
      created.retrySaves();
    };
    const onVisible = () => document.visibilityState === 'visible' && created.reconnect();
    const onUnload = (event: BeforeUnloadEvent) => {
      if (created.hasUnsavedChanges) event.preventDefault();
    };
    window.addEventListener('online', reconnect);
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('beforeunload', onUnload);
    return () => {
      window.removeEventListener('online', reconnect);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('beforeunload', onUnload);
      created.dispose();
    };
  }, [notebookId, services]);

  const seenVersion = useRef(version);
  useEffect(() => {
    if (!session || version === seenVersion.current) return;
    seenVersion.current = version;
    session.credentialsChanged();
  }, [version, session]);

  const state = useSyncExternalStore(
    session?.subscribe ?? noSubscribe,
    session?.getSnapshot ?? noSnapshot,
  );
  return { session, state };
}

const noSubscribe = () => () => undefined;
const empty = initialSnapshot();
const noSnapshot = () => empty;
