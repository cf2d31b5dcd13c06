import { describe, expect, it } from '@jest/globals';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, createAwsClient, resolveAwsSettings } from '../src/index';
import { useMoto } from '@notebook-ship/local-aws/testing';

describe('resolveAwsSettings', () => {
  it('prefers the input, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'eu-west-2', AWS_DEFAULT_REGION: 'us-east-1' };
    expect(resolveAwsSettings({ region: 'eu-north-1' }, env).region).toBe('eu-north-1');
    expect(resolveAwsSettings({}, env).region).toBe('eu-west-2');
    expect(resolveAwsSettings({}, { AWS_DEFAULT_REGION: 'us-east-1' }).region).toBe('us-east-1');
  });

  it('says how to set a missing region', () => {
    expect(() => resolveAwsSettings({}, {})).toThrow(ConfigurationError);
    expect(() => resolveAwsSettings({}, {})).toThrow('set the "aws-region" input, or AWS_REGION');
  });

  it("uses the SDK's standard retry mode with 5 attempts unless told otherwise", () => {
    expect(resolveAwsSettings({}, { AWS_REGION: 'x' })).toEqual({
      region: 'x',
      maxAttempts: 5,
      retryMode: 'standard',
      requestTimeoutMs: 60_000,
    });
    expect(resolveAwsSettings({}, { AWS_REGION: 'x', AWS_MAX_ATTEMPTS: '8', AWS_RETRY_MODE: 'adaptive' })).toMatchObject({
      maxAttempts: 8,
      retryMode: 'adaptive',
    });
  });

  it('rejects invalid retry variables by name', () => {
    expect(() => resolveAwsSettings({}, { AWS_REGION: 'x', AWS_MAX_ATTEMPTS: '0' })).toThrow('AWS_MAX_ATTEMPTS');
    expect(() => resolveAwsSettings({}, { AWS_REGION: 'x', AWS_RETRY_MODE: 'legacy' })).toThrow('AWS_RETRY_MODE');
  });
});

describe('createAwsClient', () => {
  it('configures region, attempts, mode and user agent', async () => {
    const settings = { region: 'eu-west-2', maxAttempts: 3, retryMode: 'adaptive', requestTimeoutMs: 1_000 } as const;
    const client = createAwsClient(STSClient, settings, 'deploy-ecs');
    expect(await client.config.region()).toBe('eu-west-2');
    expect(await client.config.maxAttempts()).toBe(3);
    expect(((await client.config.retryStrategy()) as { mode?: string }).mode).toBe('adaptive');
    expect(client.config.customUserAgent).toEqual([['deploy-ecs']]);
  });

  it('gives up on a server that accepts but never answers, after the request timeout and the retries', async () => {
    let requests = 0;
    await withEndpoint(
      () => {
        requests++; // never respond
      },
      async () => {
        const settings = { region: 'us-east-1', maxAttempts: 2, retryMode: 'standard', requestTimeoutMs: 300 } as const;
        const call = createAwsClient(STSClient, settings).send(new GetCallerIdentityCommand({}));
        await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
        expect(requests).toBe(2);
      },
    );
  });

  it('retries throttling with the SDK strategy, up to maxAttempts', async () => {
    let requests = 0;
    const throttleTwice: RequestListener = (_request, response) => {
      requests++;
      response.writeHead(requests <= 2 ? 400 : 200, { 'content-type': 'text/xml' });
      response.end(requests <= 2 ? THROTTLED : IDENTITY);
    };
    await withEndpoint(throttleTwice, async () => {
      const settings = resolveAwsSettings({ region: 'us-east-1' });
      const identity = await createAwsClient(STSClient, settings).send(new GetCallerIdentityCommand({}));
      expect(identity.Account).toBe('123456789012');
      expect(requests).toBe(3);

      requests = 0;
      const impatient = createAwsClient(STSClient, { ...settings, maxAttempts: 2 });
      await expect(impatient.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
      expect(requests).toBe(2);
    });
  });
});

const THROTTLED =
  '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>';
const IDENTITY =
  '<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/t</Arn><UserId>U</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>';

/** Points the SDK at a scripted loopback server, through AWS_ENDPOINT_URL only, for the duration of `use`. */
async function withEndpoint(handler: RequestListener, use: () => Promise<void>): Promise<void> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const saved = { ...process.env };
  try {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
    await use();
  } finally {
    process.env = saved;
    server.closeAllConnections();
    server.close();
  }
}

describe('against the emulated AWS', () => {
  const moto = useMoto();

  it('reaches moto through AWS_ENDPOINT_URL alone', async () => {
    expect(process.env.AWS_ENDPOINT_URL).toBe(moto.current.endpoint);
    const sts = createAwsClient(STSClient, resolveAwsSettings());
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toMatch(/^\d{12}$/);
  });
});
