// The one AWS call `terraform test` cannot avoid, answered on 127.0.0.1. The tests plan with the real hashicorp/aws
// provider (fake credentials, every data source overridden) because mock_provider cannot host ephemeral resource
// types, and this configuration has two: Terraform opens each aws_secretsmanager_random_password during plan, which
// calls Secrets Manager's GetRandomPassword. Point AWS_ENDPOINT_URL here: that call gets a password of the asked
// length, and any other call fails naming itself, so a test that would reach AWS never passes unnoticed.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const JSON_1_1 = { 'content-type': 'application/x-amz-json-1.1' };

/** @returns {Promise<{ endpoint: string, close: () => Promise<void> }>} */
export async function startOfflineAws() {
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const target = request.headers['x-amz-target'];
      if (target === 'secretsmanager.GetRandomPassword') {
        const length = JSON.parse(Buffer.concat(chunks).toString() || '{}').PasswordLength ?? 32;
        response.writeHead(200, JSON_1_1);
        response.end(JSON.stringify({ RandomPassword: randomBytes(length).toString('hex').slice(0, length) }));
        return;
      }
      const call = target ?? `${request.method} ${request.headers.host}${request.url}`;
      response.writeHead(400, JSON_1_1);
      response.end(
        JSON.stringify({
          __type: 'OfflineTest',
          message: `terraform test is offline: ${call} is not answered here (override the data source in terraform/tests)`,
        }),
      );
    });
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
