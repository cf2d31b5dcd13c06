import { FakeServer, type RecordedRequest, type Reply } from './fake-server';

// The GitHub REST calls the action makes, on loopback: pull requests of a commit and issue comments. The token
// behaves like GITHUB_TOKEN: it cannot ask who it is, and its comments are posted by github-actions[bot].

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: 'Bot' | 'User' };
}

export interface FakePull {
  number: number;
  title: string;
  merged_at: string | null;
  merge_commit_sha: string;
}

const BOT = { login: 'github-actions[bot]', type: 'Bot' as const };
/** GitHub's answer to a comment body over its limit. */
const TOO_LONG = { status: 422, body: { message: 'Validation Failed: body is too long' } };

export class FakeGitHub {
  readonly server: FakeServer;
  readonly comments: FakeComment[] = [];
  /** Pull requests by commit SHA. */
  readonly pulls = new Map<string, FakePull[]>();
  /** Rate-limit answers to give, each once, to the next requests of their method before serving any. */
  readonly rateLimits: Array<{ method: string; reply: Reply }> = [];
  private nextId = 1000;

  constructor(
    readonly owner = 'acme',
    readonly repo = 'notebook',
    readonly token = 'ghs-fake-token',
  ) {
    this.server = new FakeServer((request, url) => this.handle(request, url));
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** A comment someone else wrote (a user, or another bot). */
  addComment(issue: number, body: string, user: FakeComment['user']): FakeComment {
    const comment = { id: this.nextId++, issue, body, user };
    this.comments.push(comment);
    return comment;
  }

  commentsOn(issue: number): FakeComment[] {
    return this.comments.filter((comment) => comment.issue === issue);
  }

  private handle(request: RecordedRequest, url: URL): Reply {
    if (![`token ${this.token}`, `Bearer ${this.token}`].includes(request.headers.authorization ?? '')) {
      return { status: 401, body: { message: 'Bad credentials' } };
    }
    const limited = this.rateLimits.findIndex((limit) => limit.method === request.method);
    if (limited >= 0) return this.rateLimits.splice(limited, 1)[0]?.reply as Reply;
    const base = `/repos/${this.owner}/${this.repo}`;
    const path = url.pathname;
    const body = request.body.length ? (JSON.parse(request.body.toString('utf8')) as { body?: string }) : {};
    let match: RegExpExecArray | null;
    if (request.method === 'GET' && path === '/user') {
      return { status: 403, body: { message: 'Resource not accessible by integration' } };
    }
    if (request.method === 'GET' && (match = new RegExp(`^${base}/commits/([0-9a-f]+)/pulls$`).exec(path))) {
      const pulls = this.pulls.get(match[1] as string) ?? [];
      return {
        status: 200,
        body: pulls.map((pull) => ({
          ...pull,
          html_url: `https://github.com/${this.owner}/${this.repo}/pull/${pull.number}`,
          state: 'closed',
        })),
      };
    }
    if ((match = new RegExp(`^${base}/issues/(\\d+)/comments$`).exec(path))) {
      const issue = Number(match[1]);
      if (request.method === 'GET') {
        return { status: 200, body: this.commentsOn(issue).map((comment) => this.document(comment)) };
      }
      if (request.method === 'POST') {
        const comment = { id: this.nextId++, issue, body: body.body ?? '', user: BOT };
        if (comment.body.length > 65_536) return TOO_LONG;
        this.comments.push(comment);
        return { status: 201, body: this.document(comment) };
      }
    }
    if (request.method === 'PATCH' && (match = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(path))) {
      const comment = this.comments.find((candidate) => candidate.id === Number(match?.[1]));
      if (!comment) return { status: 404, body: { message: 'Not Found' } };
      if (comment.user.login !== BOT.login) {
        return { status: 403, body: { message: 'Resource not accessible by integration' } };
      }
      if ((body.body ?? '').length > 65_536) return TOO_LONG;
      comment.body = body.body ?? '';
      return { status: 200, body: this.document(comment) };
    }
    return { status: 404, body: { message: 'Not Found' } };
  }

  private document(comment: FakeComment) {
    return {
      id: comment.id,
      body: comment.body,
      user: comment.user,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${comment.issue}#issuecomment-${comment.id}`,
    };
  }
}
