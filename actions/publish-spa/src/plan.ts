import { headersFor, kindOf, UPLOAD_ORDER, type FileKind, type ObjectHeaders } from './classify';
import type { SiteFile } from './site-files';

export interface RemoteObject {
  /** Without quotes. */
  etag: string;
  size: number;
}

export interface Upload extends SiteFile, ObjectHeaders {
  key: string;
  kind: FileKind;
}

export interface UploadPlan {
  /**
   * Uploads grouped by kind in UPLOAD_ORDER, empty groups left out: each group completes before the next starts.
   * Largest first within a group, so a big file does not start last and hold up the next group alone.
   */
  phases: Upload[][];
  uploads: Upload[];
  skipped: SiteFile[];
}

const PLAIN_MD5 = /^[0-9a-f]{32}$/;

/**
 * A file is skipped when the bucket already holds its bytes: the ETag of a single-part upload is the MD5. A
 * content-hashed asset whose ETag is not a plain MD5 (a multipart upload by another tool) is trusted by name and
 * size, since its name changes with its content; any other file is then uploaded, as it cannot be compared.
 */
export function isUnchanged(file: SiteFile, remote: RemoteObject | undefined): boolean {
  if (!remote) return false;
  if (remote.etag === file.md5) return true;
  return kindOf(file.path) === 'asset' && !PLAIN_MD5.test(remote.etag) && remote.size === file.size;
}

export function toUpload(file: SiteFile, prefix: string): Upload {
  return { ...file, ...headersFor(file.path), key: prefix + file.path, kind: kindOf(file.path) };
}

/** Groups uploads into phases in UPLOAD_ORDER (empty ones left out), largest first within a phase. */
export function inPhases(uploads: readonly Upload[]): Upload[][] {
  return UPLOAD_ORDER.map((kind) => uploads.filter((upload) => upload.kind === kind).sort((a, b) => b.size - a.size))
    .filter((phase) => phase.length > 0);
}

/** Plans a publish from content alone: `remote` maps site paths (prefix removed) to what the bucket holds. */
export function planUploads(
  files: readonly SiteFile[],
  remote: ReadonlyMap<string, RemoteObject>,
  prefix: string,
): UploadPlan {
  const uploads: Upload[] = [];
  const skipped: SiteFile[] = [];
  for (const file of files) {
    if (isUnchanged(file, remote.get(file.path))) skipped.push(file);
    else uploads.push(toUpload(file, prefix));
  }
  const phases = inPhases(uploads);
  return { phases, uploads: phases.flat(), skipped };
}
