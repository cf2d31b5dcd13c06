import type { SourceInfo } from './inputs';

export interface BuildRequest {
  /** Undefined to let buildx use the current builder. */
  builder?: string;
  context: string;
  dockerfile: string;
  platforms: readonly string[];
  /** Full `<registry>/<repository>:<tag>` references. */
  imageRefs: readonly string[];
  buildArgs: ReadonlyMap<string, string>;
  labels: ReadonlyMap<string, string>;
  provenance: boolean;
  /** `<registry>/<repository>:<tag>` of the registry cache; undefined when the cache is off. */
  cacheRef?: string;
  push: boolean;
  metadataFile: string;
}

/** The OCI annotations that lead from an image back to the commit it was built from. */
export function ociLabels(source: SourceInfo, created: Date): Map<string, string> {
  const labels = new Map<string, string>();
  if (source.revision) labels.set('org.opencontainers.image.revision', source.revision);
  if (source.url) labels.set('org.opencontainers.image.source', source.url);
  labels.set('org.opencontainers.image.created', created.toISOString());
  return labels;
}

/** Arguments of `docker buildx build`, one flag and value pair at a time so no value is ever split or quoted. */
export function buildxArgs(request: BuildRequest): string[] {
  const args = ['buildx', 'build'];
  if (request.builder) args.push('--builder', request.builder);
  args.push('--file', request.dockerfile, '--platform', request.platforms.join(','));
  for (const ref of request.imageRefs) args.push('--tag', ref);
  for (const [name, value] of request.buildArgs) args.push('--build-arg', `${name}=${value}`);
  for (const [name, value] of request.labels) args.push('--label', `${name}=${value}`);
  // Without this, buildx adds a provenance attestation and a single-platform push becomes an image index.
  args.push(`--provenance=${request.provenance}`);
  if (request.cacheRef) {
    args.push('--cache-from', `type=registry,ref=${request.cacheRef}`);
    // ECR stores a cache only as an OCI image manifest; ignore-error keeps a cache hiccup from failing the build.
    args.push(
      '--cache-to',
      `type=registry,ref=${request.cacheRef},mode=max,image-manifest=true,oci-mediatypes=true,ignore-error=true`,
    );
  }
  if (request.push) args.push('--push');
  args.push('--metadata-file', request.metadataFile, '--progress=plain', request.context);
  return args;
}
