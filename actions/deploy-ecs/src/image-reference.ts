import { ConfigurationError } from '@notebook-ship/action-kit';

// The image reference grammar of the OCI distribution spec (and Docker): [registry[:port]/]path[:tag][@digest].
// ECS registers whatever string it is given and only fails when a task cannot pull it, after the old task may
// already be stopped; so a reference that no registry can serve is refused here, with what is wrong in it.

const REGISTRY_HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d{1,5})?$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;

export interface ImageReference {
  /** The registry host (and port); empty for Docker Hub's short names (`nginx:1.27`). */
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}

/** Splits and checks `image`; throws a ConfigurationError saying what is wrong and what a valid one looks like. */
export function parseImageReference(image: string): ImageReference {
  const refuse = (problem: string): never => {
    throw new ConfigurationError(
      `Input "image" is not a valid image reference (${problem}): got "${image}". Expected ` +
        '[registry/]repository[:tag][@sha256:<64 hex>], e.g. ' +
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook@sha256:<digest>.',
    );
  };
  if (/\s/.test(image)) refuse('it contains whitespace');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(image)) refuse('an image reference has no scheme: drop the "…://" in front');

  const at = image.indexOf('@');
  const named = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? '' : image.slice(at + 1);
  if (at >= 0 && !SHA256.test(digest)) {
    refuse('the digest after "@" must be sha256: followed by 64 lower-case hex characters');
  }

  const lastSlash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const hasTag = colon > lastSlash;
  const name = hasTag ? named.slice(0, colon) : named;
  const tag = hasTag ? named.slice(colon + 1) : '';
  if (hasTag && !tag) refuse('the tag after ":" is empty');
  if (hasTag && !TAG.test(tag)) {
    refuse('a tag is up to 128 letters, digits, "_", "." and "-", and does not start with "." or "-"');
  }

  const parts = name.split('/');
  if (parts.some((part) => part === '')) refuse('it has an empty path component: a leading, trailing or doubled "/"');
  // As Docker decides: the first part is a registry when it has a dot or a port, or is localhost.
  const first = parts[0] as string;
  const isRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = isRegistry ? first : '';
  if (registry && !REGISTRY_HOST.test(registry)) refuse(`"${registry}" is not a valid registry host`);
  const path = isRegistry ? parts.slice(1) : parts;
  if (path.some((part) => part !== part.toLowerCase())) {
    refuse('repository names are lower case; registries refuse upper-case letters');
  }
  const bad = path.find((part) => !PATH_COMPONENT.test(part));
  if (bad !== undefined) {
    refuse(`"${bad}" is not a valid repository path component: lower-case letters and digits, separated by ".", "_", "__" or "-"`);
  }
  return { registry, repository: path.join('/'), tag, digest };
}
