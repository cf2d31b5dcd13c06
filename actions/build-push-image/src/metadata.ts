const DIGEST = /^sha256:[a-f0-9]{64}$/;

export interface BuildMetadata {
  /** Manifest digest of the pushed image (or image index, for several platforms). */
  digest?: string;
  /** Build record reference, to find the build in Docker Desktop or `docker buildx history`. */
  buildRef?: string;
}

/** The JSON buildx writes with `--metadata-file`. */
export function parseBuildMetadata(text: string): BuildMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`buildx wrote a metadata file that is not JSON: ${text.slice(0, 200)}`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new Error('buildx wrote a metadata file that is not an object.');
  const record = parsed as Record<string, unknown>;
  const digest = record['containerimage.digest'];
  if (digest !== undefined && (typeof digest !== 'string' || !DIGEST.test(digest))) {
    throw new Error(`buildx reported an image digest that is not sha256:<64 hex>: ${JSON.stringify(digest)}`);
  }
  const buildRef = record['buildx.build.ref'];
  return {
    digest: typeof digest === 'string' ? digest : undefined,
    buildRef: typeof buildRef === 'string' ? buildRef : undefined,
  };
}
