import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { reloadOnPreloadError } from './app/preload-error';
import { pendingHref } from './app/router';
import { themeStore } from './lib/theme';
import './styles.css';

// Before the first render, so the page never shows in the other theme first.
themeStore();

reloadOnPreloadError({
  target: window,
  storage: sessionStorage,
  reload: () => {
    const target = pendingHref();
    if (target) window.location.assign(target);
    else window.location.reload();
  },
  now: Date.now,
});

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks the #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
