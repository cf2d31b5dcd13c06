// The people who can sign in: no passwords, a button each on the sign-in page.
export interface DemoUser {
  readonly sub: string;
  readonly email: string;
  readonly name: string;
  readonly groups: readonly string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { sub: 'alice', email: 'alice@example.com', name: 'Alice Example', groups: ['data-team', 'admins'] },
  { sub: 'bob', email: 'bob@example.com', name: 'Bob Example', groups: ['data-team'] },
];

export function demoUser(sub: string): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.sub === sub);
}
