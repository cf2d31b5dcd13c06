import {
  checkIfMatch,
  CloudFrontError,
  cloudFrontRoute,
  CLOUDFRONT_PATH,
  newETag,
  page,
  requestDocument,
  xmlResponse,
} from './cloudfront-api';
import type { LocalRequest, Route } from './routes';
import { childOf, textOf, xmlList, type XmlObject } from './xml';

// CloudFront Functions, which moto does not implement: CreateFunction, DescribeFunction, GetFunction, UpdateFunction,
// PublishFunction, DeleteFunction and ListFunctions. A function has a DEVELOPMENT stage that updates change and a
// LIVE stage that PublishFunction copies it to; each stage has its own ETag, and every change must name the current
// DEVELOPMENT ETag in If-Match. The code stays retrievable, so that a local CloudFront can run what was published.

export type FunctionStage = 'DEVELOPMENT' | 'LIVE';

interface StageRecord {
  comment: string;
  runtime: string;
  keyValueStoreArns: string[];
  code: Buffer;
  etag: string;
  status: 'UNPUBLISHED' | 'UNASSOCIATED';
  lastModified: Date;
}

interface FunctionRecord {
  name: string;
  arn: string;
  created: Date;
  DEVELOPMENT: StageRecord;
  LIVE?: StageRecord;
}

export interface CloudFrontFunctions {
  routes: Route[];
  /** The code of a function's stage (LIVE by default), by name or ARN; undefined when there is none. */
  code(nameOrArn: string, stage?: FunctionStage): string | undefined;
}

const RUNTIMES = ['cloudfront-js-1.0', 'cloudfront-js-2.0'];
// CloudFront's quota on function size.
const MAX_CODE_BYTES = 10 * 1024;

export function cloudFrontFunctions({ accountId, endpoint }: { accountId: string; endpoint: () => string }): CloudFrontFunctions {
  const functions = new Map<string, FunctionRecord>();

  function find(name: string): FunctionRecord {
    const found = functions.get(name);
    if (!found) throw new CloudFrontError(404, 'NoSuchFunctionExists', `The function ${name} does not exist.`);
    return found;
  }

  /** The stage a request's Stage parameter names (DEVELOPMENT when absent), which must exist. */
  function stageOf(record: FunctionRecord, request: LocalRequest): [FunctionStage, StageRecord] {
    const stage = request.query.get('Stage') ?? 'DEVELOPMENT';
    if (stage !== 'DEVELOPMENT' && stage !== 'LIVE') throw new CloudFrontError(400, 'InvalidArgument', `Invalid stage ${stage}.`);
    const found = record[stage];
    if (!found) throw new CloudFrontError(404, 'NoSuchFunctionExists', `The function ${record.name} has no ${stage} stage.`);
    return [stage, found];
  }

  /** The function name (CreateFunction only) and the stage contents a Create/UpdateFunctionRequest carries. */
  function readRequest(request: LocalRequest, root: string): { name?: string; stage: Omit<StageRecord, 'etag' | 'status' | 'lastModified'> } {
    const document = requestDocument(request.body, root);
    const config = childOf(document, 'FunctionConfig');
    const runtime = textOf(config, 'Runtime') ?? '';
    if (!RUNTIMES.includes(runtime)) throw new CloudFrontError(400, 'InvalidArgument', `Runtime must be one of ${RUNTIMES.join(', ')}.`);
    const code = Buffer.from(textOf(document, 'FunctionCode') ?? '', 'base64');
    if (code.length === 0) throw new CloudFrontError(400, 'InvalidArgument', 'FunctionCode is required.');
    if (code.length > MAX_CODE_BYTES) throw new CloudFrontError(413, 'FunctionSizeLimitExceeded', 'The function is too large.');
    const associations = childOf(childOf(config, 'KeyValueStoreAssociations'), 'Items')?.children ?? [];
    return {
      name: textOf(document, 'Name'),
      stage: {
        comment: textOf(config, 'Comment') ?? '',
        runtime,
        keyValueStoreArns: associations.map((association) => textOf(association, 'KeyValueStoreARN') ?? ''),
        code,
      },
    };
  }

  function summary(record: FunctionRecord, stage: FunctionStage): XmlObject {
    const current = record[stage] as StageRecord;
    return {
      Name: record.name,
      Status: current.status,
      FunctionConfig: {
        Comment: current.comment,
        Runtime: current.runtime,
        KeyValueStoreAssociations: current.keyValueStoreArns.length
          ? {
              Quantity: current.keyValueStoreArns.length,
              Items: xmlList(
                'KeyValueStoreAssociation',
                current.keyValueStoreArns.map((arn) => ({ KeyValueStoreARN: arn })),
              ),
            }
          : undefined,
      },
      FunctionMetadata: {
        FunctionARN: record.arn,
        Stage: stage,
        CreatedTime: record.created,
        LastModifiedTime: current.lastModified,
      },
    };
  }

  const routes = [
    cloudFrontRoute('POST', '/function', (request) => {
      const { name = '', stage } = readRequest(request, 'CreateFunctionRequest');
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
        throw new CloudFrontError(400, 'InvalidArgument', 'Name must be 1-64 letters, digits, hyphens and underscores.');
      }
      if (functions.has(name)) throw new CloudFrontError(409, 'FunctionAlreadyExists', `A function named ${name} already exists.`);
      const now = new Date();
      const record: FunctionRecord = {
        name,
        arn: `arn:aws:cloudfront::${accountId}:function/${name}`,
        created: now,
        DEVELOPMENT: { ...stage, etag: newETag(), status: 'UNPUBLISHED', lastModified: now },
      };
      functions.set(name, record);
      return xmlResponse(201, 'FunctionSummary', summary(record, 'DEVELOPMENT'), {
        etag: record.DEVELOPMENT.etag,
        location: `${endpoint()}${CLOUDFRONT_PATH}/function/${record.arn}`,
      });
    }),
    cloudFrontRoute('GET', '/function', (request) => {
      const wanted = request.query.get('Stage');
      const stages: FunctionStage[] = wanted ? [wanted as FunctionStage] : ['DEVELOPMENT', 'LIVE'];
      const all = [...functions.values()].flatMap((record) => stages.filter((s) => record[s]).map((s) => summary(record, s)));
      const { items, maxItems, nextMarker } = page(all, request.query);
      return xmlResponse(200, 'FunctionList', {
        NextMarker: nextMarker,
        MaxItems: maxItems,
        Quantity: items.length,
        Items: items.length ? xmlList('FunctionSummary', items) : undefined,
      });
    }),
    cloudFrontRoute('GET', '/function/([^/]+)/describe', (request) => {
      const record = find(request.params[0] as string);
      const [stage, current] = stageOf(record, request);
      return xmlResponse(200, 'FunctionSummary', summary(record, stage), { etag: current.etag });
    }),
    cloudFrontRoute('GET', '/function/([^/]+)', (request) => {
      const [, current] = stageOf(find(request.params[0] as string), request);
      return { status: 200, headers: { 'content-type': 'application/octet-stream', etag: current.etag }, body: current.code };
    }),
    cloudFrontRoute('PUT', '/function/([^/]+)', (request) => {
      const record = find(request.params[0] as string);
      checkIfMatch(request.headers, record.DEVELOPMENT.etag);
      const { stage } = readRequest(request, 'UpdateFunctionRequest');
      record.DEVELOPMENT = { ...stage, etag: newETag(), status: 'UNPUBLISHED', lastModified: new Date() };
      // The API model names this response header ETtag (sic), and the SDKs read it from there.
      return xmlResponse(200, 'FunctionSummary', summary(record, 'DEVELOPMENT'), { ettag: record.DEVELOPMENT.etag });
    }),
    cloudFrontRoute('POST', '/function/([^/]+)/publish', (request) => {
      const record = find(request.params[0] as string);
      checkIfMatch(request.headers, record.DEVELOPMENT.etag);
      const now = new Date();
      record.DEVELOPMENT.status = 'UNASSOCIATED';
      record.LIVE = { ...record.DEVELOPMENT, etag: newETag(), lastModified: now };
      return xmlResponse(200, 'FunctionSummary', summary(record, 'LIVE'));
    }),
    cloudFrontRoute('DELETE', '/function/([^/]+)', (request) => {
      const record = find(request.params[0] as string);
      checkIfMatch(request.headers, record.DEVELOPMENT.etag);
      functions.delete(record.name);
      return { status: 204 };
    }),
  ];

  return {
    routes,
    code(nameOrArn, stage = 'LIVE') {
      const name = nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
      return functions.get(name)?.[stage]?.code.toString('utf8');
    },
  };
}
