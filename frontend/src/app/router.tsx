import { createBrowserRouter, type RouteObject } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { Layout } from './routes/layout';
import { NotebooksRoute } from './routes/notebooks';
import { RouteError } from './routes/route-error';

// Shown inside the layout while a page opened directly (a reload, a shared link) loads its chunk.
const LOADING = <p className="muted">Loading…</p>;

// The list is in the entry chunk; a notebook (Monaco, Plotly) is a separate chunk loaded when opened.
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <NotebooksRoute /> },
      {
        path: 'notebooks/:notebookId',
        lazy: () => import('./routes/notebook').then((module) => ({ Component: module.NotebookRoute })),
        hydrateFallbackElement: LOADING,
      },
      {
        path: 'audit',
        lazy: () => import('./routes/audit').then((module) => ({ Component: module.AuditRoute })),
        hydrateFallbackElement: LOADING,
      },
      {
        path: 'kernels',
        lazy: () => import('./routes/kernels').then((module) => ({ Component: module.KernelsRoute })),
        hydrateFallbackElement: LOADING,
      },
      { path: '*', element: <RouteError notFound /> },
    ],
  },
];

const router = createBrowserRouter(routes);

/** Where the user was going when a chunk failed to load: a reload should land there, not where they came from. */
export function pendingHref(): string | null {
  const target = router.state.navigation.location;
  return target ? router.createHref(target) : null;
}

export function AppRouter() {
  return <RouterProvider router={router} />;
}
