import { NoAnswer, request, type Answer } from './http';
import { assetProblem, codeReferences, pageReferences, styleReferences, type AssetRef } from './page';
import { REQUEST_TIMEOUT_MS } from './service';

export interface LoadedAsset {
  ref: AssetRef;
  status: number;
  contentType: string;
  bytes: number;
  /** Why a browser could not use it; undefined when it loads. */
  problem?: string;
  /** The text of scripts and stylesheets, for the references they hold and the insecure-URL scan. */
  text?: string;
}

export interface Site {
  pageUrl: URL;
  page: Answer;
  /** A client-side route: must answer with the app too (reload and shared links). */
  deepLink: Answer | NoAnswer;
  assets: LoadedAsset[];
}

/** A path no file has: a client-side route, which the edge must answer with index.html. */
export const DEEP_LINK = '__smoke-test/client-route';
const MAX_ASSETS = 500;
const PARALLEL = 6;

/** The page, a client-side route, and every file the page loads (scripts, their lazy chunks, styles and fonts). */
export async function loadSite(pageUrl: URL, signal: AbortSignal): Promise<Site> {
  const get = (url: URL) => request(url, { timeoutMs: REQUEST_TIMEOUT_MS, signal });
  const page = await get(pageUrl);
  const deepLink = await get(new URL(DEEP_LINK, pageUrl)).catch((error: unknown) => {
    if (error instanceof NoAnswer) return error;
    throw error;
  });
  const assets: LoadedAsset[] = [];
  if (page.status !== 200 || page.contentType !== 'text/html') return { pageUrl, page, deepLink, assets };

  const queued = new Set<string>();
  const queue: AssetRef[] = [];
  const enqueue = (refs: AssetRef[]) => {
    for (const ref of refs) {
      if (queued.has(ref.url.href) || queued.size >= MAX_ASSETS) continue;
      queued.add(ref.url.href);
      queue.push(ref);
    }
  };
  enqueue(pageReferences(page.body.toString('utf8'), page.url));
  const worker = async () => {
    for (let ref = queue.shift(); ref; ref = queue.shift()) {
      const asset = await loadAsset(ref, get);
      assets.push(asset);
      if (asset.problem) continue;
      if (ref.kind === 'script') enqueue(codeReferences(asset.text ?? '', ref.url, pageUrl));
      if (ref.kind === 'style') enqueue(styleReferences(asset.text ?? '', ref.url));
    }
  };
  // Workers pick up what the others discover; one more round catches chunks found by the last finisher.
  while (queue.length) await Promise.all(Array.from({ length: PARALLEL }, worker));
  assets.sort((a, b) => a.ref.url.href.localeCompare(b.ref.url.href));
  return { pageUrl, page, deepLink, assets };
}

async function loadAsset(ref: AssetRef, get: (url: URL) => Promise<Answer>): Promise<LoadedAsset> {
  try {
    const answer = await get(ref.url);
    const problem = assetProblem(ref.kind, answer.status, answer.contentType, answer.body.length);
    const text = ref.kind === 'other' ? undefined : answer.body.toString('utf8');
    return { ref, status: answer.status, contentType: answer.contentType, bytes: answer.body.length, problem, text };
  } catch (error) {
    if (!(error instanceof NoAnswer)) throw error;
    return { ref, status: 0, contentType: '', bytes: 0, problem: error.message };
  }
}
