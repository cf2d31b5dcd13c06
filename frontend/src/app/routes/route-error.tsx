import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

export function RouteError({ notFound = false }: { notFound?: boolean }) {
  const error = useRouteError();
  const missing = notFound || (isRouteErrorResponse(error) && error.status === 404);
  const message = missing ? 'This page does not exist.' : error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <div className="page-error" role="alert">
      <h1>{missing ? 'Not found' : 'Error'}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">Back to the notebooks</Link>
        {!missing && (
          <>
            {' · '}
            <button type="button" className="link" onClick={() => window.location.reload()}>
              Reload the page
            </button>
          </>
        )}
      </p>
    </div>
  );
}
