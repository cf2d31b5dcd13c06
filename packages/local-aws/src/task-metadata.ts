import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Json } from './ecs-error';

// The task metadata endpoint version 4 of the local ECS, on loopback: each container's ECS_CONTAINER_METADATA_URI_V4
// is `<endpoint>/v4/<its runtime id>`, which answers the container's own metadata, and `/task` below it the task's,
// as Fargate's endpoint does. Docker stats (`/stats`) are not served.

export interface TaskMetadataEndpoint {
  /** The ECS_CONTAINER_METADATA_URI_V4 of a container, answered by `describe` until `forget`. */
  serve(runtimeId: string, describe: () => { container: Json; task: Json }): string;
  forget(runtimeId: string): void;
  stop(): Promise<void>;
}

export async function startTaskMetadata(): Promise<TaskMetadataEndpoint> {
  const served = new Map<string, () => { container: Json; task: Json }>();
  const server = createServer((request, response) => {
    const match = /^\/v4\/([^/]+)(\/task)?\/?$/.exec(new URL(request.url ?? '/', 'http://metadata').pathname);
    const describe = match && request.method === 'GET' ? served.get(match[1] as string) : undefined;
    if (!describe) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: `the local ECS serves no task metadata at ${request.url}` }));
      return;
    }
    const { container, task } = describe();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(match?.[2] ? task : container));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    serve(runtimeId, describe) {
      served.set(runtimeId, describe);
      return `${endpoint}/v4/${runtimeId}`;
    },
    forget: (runtimeId) => void served.delete(runtimeId),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
