import { CloudFrontError, cloudFrontRoute, page, xmlResponse } from './cloudfront-api';
import type { Route } from './routes';
import { xmlList, type XmlObject } from './xml';

// The AWS managed CloudFront policies that terraform/ looks up by name (moto has no policy API at all), with the
// ids and settings AWS documents for them ("Use managed cache policies", "... origin request policies", "...
// response headers policies" in the CloudFront Developer Guide). Every account sees the same ones; custom policies
// are not modelled, so a List with Type=custom is empty.

interface ManagedPolicy {
  id: string;
  config: XmlObject;
}

// AWS changes managed policies rarely; one fixed version identifier and date stand for theirs.
const ETAG = 'E23ZP02F085DFQ';
const LAST_MODIFIED = new Date('2024-01-01T00:00:00Z');

const none = (behavior: string) => ({ [behavior]: 'none' });

const CACHE_POLICIES: ManagedPolicy[] = [
  {
    id: '658327ea-f89d-4fab-a63d-7e88639e58f6',
    config: {
      Comment: 'Policy with caching enabled. Supports Gzip and Brotli compression.',
      Name: 'Managed-CachingOptimized',
      DefaultTTL: 86400,
      MaxTTL: 31536000,
      MinTTL: 1,
      ParametersInCacheKeyAndForwardedToOrigin: {
        EnableAcceptEncodingGzip: true,
        EnableAcceptEncodingBrotli: true,
        HeadersConfig: none('HeaderBehavior'),
        CookiesConfig: none('CookieBehavior'),
        QueryStringsConfig: none('QueryStringBehavior'),
      },
    },
  },
  {
    id: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
    config: {
      Comment: 'Policy with caching disabled',
      Name: 'Managed-CachingDisabled',
      DefaultTTL: 0,
      MaxTTL: 0,
      MinTTL: 0,
      ParametersInCacheKeyAndForwardedToOrigin: {
        EnableAcceptEncodingGzip: false,
        EnableAcceptEncodingBrotli: false,
        HeadersConfig: none('HeaderBehavior'),
        CookiesConfig: none('CookieBehavior'),
        QueryStringsConfig: none('QueryStringBehavior'),
      },
    },
  },
];

const ORIGIN_REQUEST_POLICIES: ManagedPolicy[] = [
  {
    id: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
    config: {
      Comment: 'Policy to forward all parameters in viewer requests except for the Host header',
      Name: 'Managed-AllViewerExceptHostHeader',
      HeadersConfig: { HeaderBehavior: 'allExcept', Headers: { Quantity: 1, Items: xmlList('Name', ['host']) } },
      CookiesConfig: { CookieBehavior: 'all' },
      QueryStringsConfig: { QueryStringBehavior: 'all' },
    },
  },
];

const RESPONSE_HEADERS_POLICIES: ManagedPolicy[] = [
  {
    id: '67f7725c-6f97-4210-82d7-5512b31e9d03',
    config: {
      Comment: 'Adds a set of security headers to every response',
      Name: 'Managed-SecurityHeadersPolicy',
      SecurityHeadersConfig: {
        XSSProtection: { Override: false, Protection: true, ModeBlock: true },
        FrameOptions: { Override: false, FrameOption: 'SAMEORIGIN' },
        ReferrerPolicy: { Override: false, ReferrerPolicy: 'strict-origin-when-cross-origin' },
        ContentTypeOptions: { Override: true },
        StrictTransportSecurity: { Override: false, AccessControlMaxAgeSec: 31536000 },
      },
    },
  },
];

/** List<Kind>Policies and Get<Kind>Policy for one kind of policy, e.g. `CachePolicy` at /cache-policy. */
function policyRoutes(kind: string, path: string, missing: string, policies: ManagedPolicy[]): Route[] {
  const policy = ({ id, config }: ManagedPolicy): XmlObject => ({ Id: id, LastModifiedTime: LAST_MODIFIED, [`${kind}Config`]: config });
  return [
    cloudFrontRoute('GET', path, (request) => {
      const type = request.query.get('Type');
      const { items, maxItems, nextMarker } = page(type === 'custom' ? [] : policies, request.query);
      return xmlResponse(200, `${kind}List`, {
        NextMarker: nextMarker,
        MaxItems: maxItems,
        Quantity: items.length,
        Items: items.length ? xmlList(`${kind}Summary`, items.map((item) => ({ Type: 'managed', [kind]: policy(item) }))) : undefined,
      });
    }),
    cloudFrontRoute('GET', `${path}/([^/]+)`, (request) => {
      const found = policies.find((candidate) => candidate.id === request.params[0]);
      if (!found) throw new CloudFrontError(404, missing, `The ${kind} does not exist.`);
      return xmlResponse(200, kind, policy(found), { etag: ETAG });
    }),
  ];
}

export const managedPolicyRoutes: Route[] = [
  ...policyRoutes('CachePolicy', '/cache-policy', 'NoSuchCachePolicy', CACHE_POLICIES),
  ...policyRoutes('OriginRequestPolicy', '/origin-request-policy', 'NoSuchOriginRequestPolicy', ORIGIN_REQUEST_POLICIES),
  ...policyRoutes('ResponseHeadersPolicy', '/response-headers-policy', 'NoSuchResponseHeadersPolicy', RESPONSE_HEADERS_POLICIES),
];
