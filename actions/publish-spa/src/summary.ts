import { formatDuration, keyValueTable } from '@notebook-ship/action-kit';
import { PRIVATE_MAPS_DIR } from './source-maps';
import type { ReleaseResult } from './steps';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const total = (files: readonly { size: number }[]) => files.reduce((sum, file) => sum + file.size, 0);
export const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

function sourceMapsText(sourceMaps: ReleaseResult['sourceMaps'], prefix: string): string | undefined {
  if (!sourceMaps) return undefined;
  const { mode, count: maps } = sourceMaps;
  if (maps === 0) return 'none in the build';
  if (mode === 'publish') return `${count(maps, 'map')} served with the site`;
  const where = mode === 'private' ? `kept private under ${prefix}${PRIVATE_MAPS_DIR}/` : 'not uploaded';
  return `${count(maps, 'map')} ${where}; scripts and style sheets no longer point at them`;
}

export function renderSummary(result: ReleaseResult, bucket: string, prefix: string): string {
  const title =
    result.mode === 'publish'
      ? `### Published release \`${result.releaseId}\` to s3://${bucket}/${prefix}`
      : `### Rolled back s3://${bucket}/${prefix} to release \`${result.releaseId}\``;
  const { invalidation: sent } = result;
  const invalidation = sent
    ? `${sent.id}: ${sent.paths.join(' ')}${sent.status ? ` (${sent.status})` : ''}`
    : 'none needed';
  const rows: [string, string | number | undefined][] = [
    ['Release', result.releaseId],
    ['Replaced', result.previousReleaseId || 'no recorded release'],
    [
      result.mode === 'publish' ? 'Uploaded' : 'Restored pages',
      `${count(result.uploaded.length, 'file')} (${formatBytes(total(result.uploaded))})`,
    ],
  ];
  if (result.mode === 'publish') {
    rows.push(
      ['Unchanged, skipped', `${count(result.skipped.length, 'file')} (${formatBytes(total(result.skipped))})`],
      [
        'Deleted',
        `${count(result.deletedPaths.length, 'object')}; pruned releases: ${result.prunedReleases.join(', ') || 'none'}`,
      ],
      ['API base URL', result.apiBaseUrlFoundIn.length ? `found in ${result.apiBaseUrlFoundIn.join(', ')}` : 'same origin'],
      ['Source maps', sourceMapsText(result.sourceMaps, prefix)],
    );
  }
  rows.push(['Invalidation', invalidation], ['Time', formatDuration(result.durationMs)], ['URL', result.url]);
  return `${title}\n\n${keyValueTable(rows)}\n`;
}
