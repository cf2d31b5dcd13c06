import { explainDifference, type Fingerprint, type FingerprintEntry } from './fingerprint';
import type { IssueComment, PullRequest } from './github-api';

/** What the pull request a commit came from says about the plan its reviewers saw: its fingerprint, or why none. */
export type ReviewedPlan =
  | (Source & {
      pullRequest: PullRequest;
      digest: string;
      entries?: FingerprintEntry[];
      /**
       * The run the digest was computed from at apply time, when the plan comment had none (the plan token could
       * not read the JSON plan); undefined when the digest comes from the comment itself.
       */
      computedFrom?: string;
      missing?: undefined;
    })
  | (Source & {
      digest?: undefined;
      missing: string;
      /** What to do about it, when the usual advice (merge through a planned pull request) does not fit. */
      advice?: string;
    });

interface Source {
  pullRequest?: PullRequest;
  /** Our plan comment on that pull request for this workspace. */
  comment?: IssueComment;
}

export type Verdict =
  | { apply: true; verified: boolean; note: string }
  | { apply: false; reason: string; differences: string[] };

/**
 * Whether the plan about to be applied is the one that was reviewed. A difference always stops the apply; a
 * plan that cannot be compared (no PR, no fingerprint on either side) is applied only when the workflow does
 * not require a reviewed plan.
 */
export function judge(
  reviewed: ReviewedPlan,
  current: Fingerprint | undefined,
  currentMissing: string | undefined,
  requireReviewed: boolean,
): Verdict {
  const pull = reviewed.pullRequest ? `PR #${reviewed.pullRequest.number}` : 'no pull request';
  const computedFrom = reviewed.digest !== undefined ? reviewed.computedFrom : undefined;
  const source = computedFrom ? `${pull} in ${computedFrom}` : pull;
  if (reviewed.digest !== undefined && current) {
    if (reviewed.digest === current.digest) {
      const how = computedFrom
        ? ` The reviewed fingerprint was computed at apply time from ${computedFrom}, because the plan token ` +
          'could not read its JSON plan.'
        : '';
      const note = `The plan matches the one reviewed on ${source} (${short(current.digest)}).${how}`;
      return { apply: true, verified: true, note };
    }
    const differences = reviewed.entries ? explainDifference(reviewed.entries, current.entries) : [];
    const digests = differences.length ? '' : ` (reviewed ${short(reviewed.digest)}, now ${short(current.digest)})`;
    return { apply: false, reason: `The plan differs from the one reviewed on ${source}${digests}`, differences };
  }
  const why =
    reviewed.digest !== undefined
      ? `this plan has no fingerprint: ${currentMissing ?? 'unknown reason'}`
      : reviewed.missing;
  if (requireReviewed) {
    return { apply: false, reason: `The plan cannot be matched to a reviewed plan: ${why}`, differences: [] };
  }
  const note = `Applying without a reviewed plan (require-reviewed-plan is false): ${why}.`;
  return { apply: true, verified: false, note };
}

/** `sha256:` and the first 12 hex digits: enough to tell digests apart in a message. */
function short(digest: string): string {
  return `${digest.slice(0, 19)}…`;
}
