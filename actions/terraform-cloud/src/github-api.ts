import { getOctokit } from '@actions/github';
import { ConfigurationError } from '@notebook-ship/action-kit';

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

/** The GitHub REST API through Octokit; GITHUB_API_URL selects the server (GitHub Enterprise, or a test server). */
export function createGitHubApi(token: string, repository: Repository): GitHubApi {
  const octokit = getOctokit(token);
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

async function call<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
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
