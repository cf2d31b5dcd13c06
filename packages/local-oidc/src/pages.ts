// The provider's own pages, plain and self-contained: the defaults load web fonts from the internet.
import escapeHtml from 'escape-html';
import { DEMO_USERS } from './demo-users';

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body>
</html>`;
}

export function signInPage(uid: string, clientId: string): string {
  const buttons = DEMO_USERS.map(
    (user) => `<p><button type="submit" name="account" value="${escapeHtml(user.sub)}">Sign in as ${escapeHtml(user.name)}</button></p>`,
  ).join('\n');
  return page(
    'Sign in',
    `<p>Local sign-in for ${escapeHtml(clientId)}: choose a demo user.</p>
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
${buttons}
</form>`,
  );
}

// Signs out at once, as Cognito's logout endpoint does, so a browser returns to the app without a question.
// The form is oidc-provider's own, carrying its anti-forgery token.
export function signOutPage(form: string): string {
  return page(
    'Sign out',
    `${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<script>document.querySelector('button[name="logout"]').click();</script>`,
  );
}

export function signedOutPage(): string {
  return page('Signed out', '<p>You are signed out.</p>');
}

export function errorPage(error: string, description: string | undefined): string {
  const detail = description === undefined ? '' : `<p>${escapeHtml(description)}</p>`;
  return page('Sign-in error', `<p><strong>${escapeHtml(error)}</strong></p>${detail}`);
}
