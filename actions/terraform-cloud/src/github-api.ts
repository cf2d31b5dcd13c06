import { getOctokit } from '@actions/github';
import { ConfigurationError, formatDuration, systemClock, type Clock } from '@notebook-ship/action-kit';
import { describeRateLimit, githubRateLimit } from './github-rate-limit';

export interface PullRequest {
  number: number;
  title: string;
  url: string;
}

export interface IssueComment {
  id: number;
  body: string;
  url: string;
}

/** The few GitHub calls the action makes: finding the PR of a commit and keeping one comment per workspace. */
export interface GitHubApi {
  /** The merged pull request a commit came from: the one it is the merge commit of, else the latest merged. */
  mergedPullRequest(sha: string): Promise<PullRequest | undefined>;
  /** Our comment on an issue or PR that contains `marker`; comments by anyone else are never trusted. */
  findComment(issue: number, marker: string): Promise<IssueComment | undefined>;
  createComment(issue: number, body: string): Promise<IssueComment>;
  updateComment(id: number, body: string): Promise<IssueComment>;
}

export interface Repository {
  owner: string;
  repo: string;
}

export interface RateLimitPatience {
  clock?: Clock;
  log?: (message: string) => void;
  /** The most the action waits for GitHub's rate limits in all, so a plan is not held up for an hour. */
  budgetMs?: number;
}

interface OctokitError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string> };
}

/** Tries of one request that GitHub rate-limits before giving up, however much budget is left. */
const MAX_RATE_LIMITED_TRIES = 5;

/** A request GitHub kept rate-limiting, or asked to wait longer than the budget for. */
class RateLimitedError extends Error {}

/** The GitHub REST API through Octokit; GITHUB_API_URL selects the server (GitHub Enterprise, or a test server). */
export function createGitHubApi(token: string, repository: Repository, patience: RateLimitPatience = {}): GitHubApi {
  const octokit = getOctokit(token);
  waitOutRateLimits(octokit, patience);
  const { owner, repo } = repository;
  let identity: Promise<string | undefined> | undefined;

  // A personal token knows its user; GITHUB_TOKEN and app tokens cannot ask (403), and post as a bot.
  const ourLogin = () =>
    (identity ??= octokit.rest.users.getAuthenticated().then(
      (response) => response.data.login,
      () => undefined,
    ));

  const ours = async (user: { login: string; type: string } | null | undefined) => {
    if (!user) return false;
    const login = await ourLogin();
    return login ? user.login === login : user.type === 'Bot';
  };

  return {
    mergedPullRequest: (sha) =>
      call('list the pull requests of a commit', async () => {
        const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
          owner,
          repo,
          commit_sha: sha,
        });
        const merged = data.filter((pull) => pull.merged_at);
        merged.sort((a, b) => {
          const exact = Number(b.merge_commit_sha === sha) - Number(a.merge_commit_sha === sha);
          return exact || Date.parse(b.merged_at as string) - Date.parse(a.merged_at as string);
        });
        const pull = merged[0];
        return pull ? { number: pull.number, title: pull.title, url: pull.html_url } : undefined;
      }),
    findComment: (issue, marker) =>
      call('read the pull request comments', async () => {
        const comments = await octokit.paginate(octokit.rest.issues.listComments, {
          owner,
          repo,
          issue_number: issue,
          per_page: 100,
        });
        for (const comment of comments.reverse()) {
          if (comment.body?.includes(marker) && (await ours(comment.user))) {
            return { id: comment.id, body: comment.body, url: comment.html_url };
          }
        }
        return undefined;
      }),
    createComment: (issue, body) =>
      call('comment on the pull request', async () => {
        const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body });
        return { id: data.id, body: data.body ?? body, url: data.html_url };
      }),
    updateComment: (id, body) =>
      call('update the pull request comment', async () => {
        const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
        return { id: data.id, body: data.body ?? body, url: data.html_url };
      }),
  };
}

/**
 * GitHub asks clients to wait out its rate limits rather than retry at once (and may ban those that do not); no
 * plugin for that is bundled, so every request goes through this hook.
 */
function waitOutRateLimits(octokit: ReturnType<typeof getOctokit>, patience: RateLimitPatience): void {
  const { clock = systemClock, log = () => undefined, budgetMs = 10 * 60_000 } = patience;
  let waited = 0;
  octokit.hook.wrap('request', async (request, options) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(options);
      } catch (error) {
        const { status, message = String(error), response } = error as OctokitError;
        const headers = response?.headers ?? {};
        const limit = status && githubRateLimit({ status, headers, message }, attempt, clock.now());
        if (!limit) throw error;
        const what = describeRateLimit(limit.kind);
        if (attempt + 1 >= MAX_RATE_LIMITED_TRIES) {
          throw new RateLimitedError(`${what} still held after ${MAX_RATE_LIMITED_TRIES} tries (HTTP ${status})`);
        }
        if (waited + limit.waitMs > budgetMs) {
          const left = formatDuration(budgetMs - waited);
          throw new RateLimitedError(
            `${what} asks to wait ${formatDuration(limit.waitMs)}, more than the ${left} left of the ` +
              `${formatDuration(budgetMs)} the action waits (HTTP ${status})`,
          );
        }
        const label = `${options.method} ${options.url}`;
        log(`Rate limited by ${what}: waiting ${formatDuration(limit.waitMs)} before retrying ${label}.`);
        waited += limit.waitMs;
        await clock.sleep(limit.waitMs);
      }
    }
  });
}

async function call<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof RateLimitedError) {
      throw new ConfigurationError(
        `GitHub rate-limited the action, which could not ${what}: ${error.message}. This is not a permission ` +
          'problem: re-run the job later, or spread out the jobs that share this token.',
      );
    }
    const status = (error as { status?: number }).status;
    const message = error instanceof Error ? error.message : String(error);
    if (status === 401 || status === 403 || status === 404) {
      throw new ConfigurationError(
        `GitHub refused to ${what} (HTTP ${status}: ${message}). Pass a "github-token" that may, and give the job ` +
          '`permissions: pull-requests: write` (contents: read for the pull requests of a commit).',
      );
    }
    throw new ConfigurationError(`GitHub failed to ${what}: ${message}`);
  }
}
