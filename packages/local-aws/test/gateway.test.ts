import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { securityGroupRuleDescriptions } from '../src/ec2-rule-descriptions';
import { startGateway, type Gateway } from '../src/gateway';
import { terraformOverride, TERRAFORM_SERVICES } from '../src/terraform-override';

const signed = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-2/${service}/aws4_request, SignedHeaders=host, Signature=0`,
});

/** An emulator stand-in that answers with its name, what it was sent, and for EC2 a rule without description. */
function upstream(name: string, answer?: string): Promise<Server> {
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': name });
      response.end(answer ?? `${request.method} ${request.url} ${Buffer.concat(chunks).toString()}`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const AUTHORIZED = `<AuthorizeSecurityGroupIngressResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15"><return>true</return><securityGroupRuleSet><item><securityGroupRuleId>sgr-1</securityGroupRuleId><groupId>sg-app</groupId><isEgress>false</isEgress><ipProtocol>tcp</ipProtocol><fromPort>8000</fromPort><toPort>8000</toPort><referencedGroupInfo><groupId>sg-alb</groupId><userId>123456789012</userId></referencedGroupInfo><tagSet/></item></securityGroupRuleSet><requestId>r</requestId></AuthorizeSecurityGroupIngressResponse>`;
const DESCRIBED = AUTHORIZED.replaceAll('AuthorizeSecurityGroupIngressResponse', 'DescribeSecurityGroupRulesResponse').replace('<return>true</return>', '');

describe('the gateway', () => {
  let moto: Server;
  let ecs: Server;
  let gateway: Gateway;
  beforeAll(async () => {
    moto = await upstream('moto');
    ecs = await upstream('ecs');
    gateway = await startGateway({ routes: [], upstreams: { ecs: urlOf(ecs) }, fallback: urlOf(moto) });
  });
  afterAll(async () => {
    await gateway.stop();
    moto.close();
    ecs.close();
  });

  it('sends each service by its signing scope, byte for byte, and the rest (unsigned too) to the fallback', async () => {
    const toEcs = await fetch(`${gateway.endpoint}/`, { method: 'POST', headers: signed('ecs'), body: '{"cluster":"c"}' });
    expect(toEcs.headers.get('x-upstream')).toBe('ecs');
    expect(await toEcs.text()).toBe('POST / {"cluster":"c"}');
    const toS3 = await fetch(`${gateway.endpoint}/bucket/key?x-id=GetObject`, { headers: signed('s3') });
    expect(await toS3.text()).toBe('GET /bucket/key?x-id=GetObject ');
    const presigned = await fetch(`${gateway.endpoint}/b/k?X-Amz-Credential=${encodeURIComponent('testing/20260101/eu-west-2/ecs/aws4_request')}`);
    expect(presigned.headers.get('x-upstream')).toBe('ecs');
    expect((await fetch(`${gateway.endpoint}/moto-api/data.json`)).headers.get('x-upstream')).toBe('moto');
  });
});

describe('security group rule descriptions', () => {
  it('puts back the description of a rule that refers to another group, by the id moto gave it', () => {
    const amendment = securityGroupRuleDescriptions();
    const authorize = new URLSearchParams({
      Action: 'AuthorizeSecurityGroupIngress',
      GroupId: 'sg-app',
      'IpPermissions.1.IpProtocol': 'tcp',
      'IpPermissions.1.FromPort': '8000',
      'IpPermissions.1.ToPort': '8000',
      'IpPermissions.1.Groups.1.GroupId': 'sg-alb',
      'IpPermissions.1.Groups.1.Description': 'App port from the ALB',
    });
    expect(amendment.amend(authorize, AUTHORIZED)).toBe(AUTHORIZED);
    const described = amendment.amend(new URLSearchParams({ Action: 'DescribeSecurityGroupRules' }), DESCRIBED);
    expect(described).toContain('<securityGroupRuleId>sgr-1</securityGroupRuleId>');
    expect(described).toContain('<description>App port from the ALB</description>');

    const modify = new URLSearchParams({
      Action: 'ModifySecurityGroupRules',
      'SecurityGroupRule.1.SecurityGroupRuleId': 'sgr-1',
      'SecurityGroupRule.1.SecurityGroupRule.Description': 'renamed',
    });
    amendment.amend(modify, '<ModifySecurityGroupRulesResponse/>');
    expect(amendment.amend(new URLSearchParams({ Action: 'DescribeSecurityGroupRules' }), DESCRIBED)).toContain('<description>renamed</description>');
  });
});

describe('the Terraform override', () => {
  it('points every service terraform/ uses at the local AWS and keeps the state local', () => {
    const override = terraformOverride({ endpoint: 'http://127.0.0.1:4566', region: 'eu-west-2' });
    expect(override).toContain('backend "local" {}');
    expect(override).toMatch(/region\s+= "eu-west-2"/);
    expect(override).toMatch(/s3_use_path_style\s+= true/);
    for (const service of TERRAFORM_SERVICES) expect(override).toMatch(new RegExp(`\\n\\s+${service}\\s+= "http://127.0.0.1:4566"`));
  });
});
