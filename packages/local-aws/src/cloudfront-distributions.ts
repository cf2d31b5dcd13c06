import { randomBytes } from 'node:crypto';
import {
  checkIfMatch,
  CloudFrontError,
  cloudFrontId,
  cloudFrontRoute,
  CLOUDFRONT_PATH,
  newETag,
  page,
  requestDocument,
  xmlResponse,
} from './cloudfront-api';
import type { Route } from './routes';
import { childOf, parsedMembers, textOf, xmlList, XmlParsed, type XmlElement, type XmlObject } from './xml';

// CloudFront distributions, their invalidations and tags. moto stores a distribution lossily (it drops function
// associations and S3 origin settings, adds legacy ForwardedValues next to a cache policy and a default SSL support
// method, and leaves the region out of the ARN), so Terraform would see drift and the local CloudFront would not run
// the viewer-request function. Here a DistributionConfig is kept as it was sent and described as such, the way
// CloudFront echoes it. A distribution is Deployed at once and an invalidation Completed when first read: nothing
// propagates to edge locations.

interface Distribution {
  id: string;
  arn: string;
  domainName: string;
  etag: string;
  lastModified: Date;
  config: XmlElement;
  invalidations: Invalidation[];
}

interface Invalidation {
  id: string;
  created: Date;
  batch: XmlElement;
  read: boolean;
}

// The DistributionConfig members a DistributionSummary repeats.
const SUMMARY_MEMBERS = [
  'Aliases',
  'Origins',
  'OriginGroups',
  'DefaultCacheBehavior',
  'CacheBehaviors',
  'CustomErrorResponses',
  'Comment',
  'PriceClass',
  'Enabled',
  'ViewerCertificate',
  'Restrictions',
  'WebACLId',
  'HttpVersion',
  'IsIPV6Enabled',
  'Staging',
];

const sameXml = (a: XmlElement, b: XmlElement) => JSON.stringify(a) === JSON.stringify(b);
const element = (name: string, children: XmlElement[] = [], text = ''): XmlElement => ({ name, children, text });

function addMissing(parent: XmlElement, member: XmlElement): void {
  if (!childOf(parent, member.name)) parent.children.push(member);
}

/** CloudFront describes members a request left out with their defaults (the provider reads them unconditionally). */
function withDefaults(config: XmlElement): XmlElement {
  addMissing(config, element('OriginGroups', [element('Quantity', [], '0')]));
  for (const origin of childOf(childOf(config, 'Origins'), 'Items')?.children ?? []) {
    addMissing(origin, element('OriginShield', [element('Enabled', [], 'false')]));
  }
  return config;
}

/** `d111111abcdef8.cloudfront.net`: CloudFront's domain names are unrelated to the distribution id. */
function newDomainName(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `d${[...randomBytes(13)].map((byte) => alphabet[byte % alphabet.length]).join('')}.cloudfront.net`;
}

function tagsOf(document: XmlElement | undefined): Map<string, string> {
  const items = childOf(document, 'Items')?.children ?? [];
  return new Map(items.map((tag) => [textOf(tag, 'Key') ?? '', textOf(tag, 'Value') ?? '']));
}

export function cloudFrontDistributions({ accountId, endpoint }: { accountId: string; endpoint: () => string }): Route[] {
  const distributions = new Map<string, Distribution>();
  const tags = new Map<string, Map<string, string>>();

  function find(id: string): Distribution {
    const found = distributions.get(id);
    if (!found) throw new CloudFrontError(404, 'NoSuchDistribution', 'The specified distribution does not exist.');
    return found;
  }

  function describe(distribution: Distribution): XmlObject {
    return {
      Id: distribution.id,
      ARN: distribution.arn,
      Status: 'Deployed',
      LastModifiedTime: distribution.lastModified,
      InProgressInvalidationBatches: 0,
      DomainName: distribution.domainName,
      ActiveTrustedSigners: { Enabled: false, Quantity: 0 },
      ActiveTrustedKeyGroups: { Enabled: false, Quantity: 0 },
      DistributionConfig: new XmlParsed(distribution.config),
    };
  }

  function summary(distribution: Distribution): XmlObject {
    const members = distribution.config.children.filter((member) => SUMMARY_MEMBERS.includes(member.name));
    return {
      ...parsedMembers({ ...distribution.config, children: members }),
      Id: distribution.id,
      ARN: distribution.arn,
      ETag: distribution.etag,
      Status: 'Deployed',
      LastModifiedTime: distribution.lastModified,
      DomainName: distribution.domainName,
    };
  }

  const respond = (status: number, distribution: Distribution, headers: Record<string, string> = {}) =>
    xmlResponse(status, 'Distribution', describe(distribution), { etag: distribution.etag, ...headers });

  function describeInvalidation(invalidation: Invalidation): XmlObject {
    return {
      Id: invalidation.id,
      Status: invalidation.read ? 'Completed' : 'InProgress',
      CreateTime: invalidation.created,
      InvalidationBatch: new XmlParsed(invalidation.batch),
    };
  }

  function taggable(arn: string | null): Map<string, string> {
    const found = arn ? tags.get(arn) : undefined;
    if (!found) throw new CloudFrontError(404, 'NoSuchResource', 'The specified CloudFront resource does not exist.');
    return found;
  }

  return [
    cloudFrontRoute('POST', '/distribution', (request) => {
      const withTags = request.query.has('WithTags');
      const document = requestDocument(request.body, withTags ? 'DistributionConfigWithTags' : 'DistributionConfig');
      const sent = withTags ? childOf(document, 'DistributionConfig') : document;
      if (!sent || !textOf(sent, 'CallerReference')) {
        throw new CloudFrontError(400, 'InvalidArgument', 'A DistributionConfig with a CallerReference is required.');
      }
      const config = withDefaults(sent);
      const sameCaller = [...distributions.values()].find(
        (existing) => textOf(existing.config, 'CallerReference') === textOf(config, 'CallerReference'),
      );
      if (sameCaller) {
        // CloudFront answers a repeated request with the distribution it created; a different one is refused.
        if (sameXml(sameCaller.config, config)) return respond(201, sameCaller);
        throw new CloudFrontError(409, 'DistributionAlreadyExists', 'The caller reference is already in use.');
      }
      const id = cloudFrontId('E');
      const distribution: Distribution = {
        id,
        arn: `arn:aws:cloudfront::${accountId}:distribution/${id}`,
        domainName: newDomainName(),
        etag: newETag(),
        lastModified: new Date(),
        config,
        invalidations: [],
      };
      distributions.set(id, distribution);
      tags.set(distribution.arn, withTags ? tagsOf(childOf(document, 'Tags')) : new Map());
      return respond(201, distribution, { location: `${endpoint()}${CLOUDFRONT_PATH}/distribution/${id}` });
    }),
    cloudFrontRoute('GET', '/distribution', (request) => {
      return markedList('DistributionList', 'DistributionSummary', [...distributions.values()], request.query, summary);
    }),
    cloudFrontRoute('GET', '/distribution/([^/]+)', (request) => respond(200, find(request.params[0] as string))),
    cloudFrontRoute('GET', '/distribution/([^/]+)/config', (request) => {
      const distribution = find(request.params[0] as string);
      return xmlResponse(200, 'DistributionConfig', parsedMembers(distribution.config), { etag: distribution.etag });
    }),
    cloudFrontRoute('PUT', '/distribution/([^/]+)/config', (request) => {
      const distribution = find(request.params[0] as string);
      checkIfMatch(request.headers, distribution.etag);
      const config = withDefaults(requestDocument(request.body, 'DistributionConfig'));
      if (textOf(config, 'CallerReference') !== textOf(distribution.config, 'CallerReference')) {
        throw new CloudFrontError(400, 'IllegalUpdate', 'The CallerReference of a distribution cannot change.');
      }
      Object.assign(distribution, { config, etag: newETag(), lastModified: new Date() });
      return respond(200, distribution);
    }),
    cloudFrontRoute('DELETE', '/distribution/([^/]+)', (request) => {
      const distribution = find(request.params[0] as string);
      checkIfMatch(request.headers, distribution.etag);
      if (textOf(distribution.config, 'Enabled') !== 'false') {
        throw new CloudFrontError(409, 'DistributionNotDisabled', 'The distribution must be disabled before it is deleted.');
      }
      distributions.delete(distribution.id);
      tags.delete(distribution.arn);
      return { status: 204 };
    }),
    cloudFrontRoute('POST', '/distribution/([^/]+)/invalidation', (request) => {
      const distribution = find(request.params[0] as string);
      const batch = requestDocument(request.body, 'InvalidationBatch');
      const caller = textOf(batch, 'CallerReference');
      let invalidation = distribution.invalidations.find((existing) => textOf(existing.batch, 'CallerReference') === caller);
      if (!invalidation) {
        invalidation = { id: cloudFrontId('I'), created: new Date(), batch, read: false };
        distribution.invalidations.unshift(invalidation);
      }
      const location = `${endpoint()}${CLOUDFRONT_PATH}/distribution/${distribution.id}/invalidation/${invalidation.id}`;
      return xmlResponse(201, 'Invalidation', describeInvalidation(invalidation), { location });
    }),
    cloudFrontRoute('GET', '/distribution/([^/]+)/invalidation', (request) => {
      return markedList('InvalidationList', 'InvalidationSummary', find(request.params[0] as string).invalidations, request.query, (invalidation) => ({
        Id: invalidation.id,
        CreateTime: invalidation.created,
        Status: 'Completed',
      }));
    }),
    cloudFrontRoute('GET', '/distribution/([^/]+)/invalidation/([^/]+)', (request) => {
      const invalidation = find(request.params[0] as string).invalidations.find((candidate) => candidate.id === request.params[1]);
      if (!invalidation) throw new CloudFrontError(404, 'NoSuchInvalidation', 'The specified invalidation does not exist.');
      invalidation.read = true;
      return xmlResponse(200, 'Invalidation', describeInvalidation(invalidation));
    }),
    cloudFrontRoute('GET', '/tagging', (request) => {
      const items = [...taggable(request.query.get('Resource'))].map(([Key, Value]) => ({ Key, Value }));
      return xmlResponse(200, 'Tags', { Items: items.length ? xmlList('Tag', items) : undefined });
    }),
    cloudFrontRoute('POST', '/tagging', (request) => {
      const resource = taggable(request.query.get('Resource'));
      const operation = request.query.get('Operation');
      if (operation === 'Tag') {
        for (const [key, value] of tagsOf(requestDocument(request.body, 'Tags'))) resource.set(key, value);
      } else if (operation === 'Untag') {
        const keys = childOf(requestDocument(request.body, 'TagKeys'), 'Items')?.children ?? [];
        for (const key of keys) resource.delete(key.text);
      } else {
        throw new CloudFrontError(400, 'InvalidArgument', `Unknown tagging operation ${operation}.`);
      }
      return { status: 204 };
    }),
  ];
}

/** The list shape of ListDistributions and ListInvalidations (with Marker and IsTruncated, unlike the function and policy lists). */
function markedList<T>(name: string, itemName: string, all: readonly T[], query: URLSearchParams, describe: (item: T) => XmlObject) {
  const { items, maxItems, nextMarker } = page(all, query);
  return xmlResponse(200, name, {
    Marker: query.get('Marker') ?? '',
    NextMarker: nextMarker,
    MaxItems: maxItems,
    IsTruncated: nextMarker !== undefined,
    Quantity: items.length,
    Items: items.length ? xmlList(itemName, items.map(describe)) : undefined,
  });
}
