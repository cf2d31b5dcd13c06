// CloudFront Function (cloudfront-js-2.0), viewer request, default (S3) behaviour only.
// Client-side routes such as /notebooks/42 have no file in the bucket: serve the SPA's index.html for any
// path whose last segment has no extension. Assets keep their real status (a missing chunk stays an error),
// and /api/* and /health never come here, so API errors reach the browser unchanged.
// The bucket also holds publish-spa's release records under _releases/ (what every release uploaded, for
// rollbacks): they are not the site, so they get a 404 whatever the spelling S3 would decode to the same key.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- CloudFront calls this global by name.
function handler(event) {
  var request = event.request;
  var path;
  try {
    path = decodeURIComponent(request.uri);
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- cloudfront-js-2.0 needs the binding (ES5 catch).
  } catch (malformed) {
    return notFound();
  }
  if (path === '/_releases' || path.indexOf('/_releases/') === 0) {
    return notFound();
  }
  var lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}

function notFound() {
  return { statusCode: 404, statusDescription: 'Not Found' };
}
