export interface StaticServer {
  url: string;
  setWebSocketOutage: (outage: boolean) => void;
  close: () => Promise<void>;
}
export function startStaticServer(options: { root: string; api: string; port?: number; host?: string }): Promise<StaticServer>;
