// CloudFront Function (cloudfront-js-2.0), viewer request, default (S3) behaviour only.
// Client-side routes such as /notebooks/42 have no file in the bucket: serve the SPA's index.html for any
// path whose last segment has no extension. Assets keep their real status (a missing chunk stays an error),
// and /api/* and /health never come here, so API errors reach the browser unchanged.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- CloudFront calls this global by name.
function handler(event) {
  var request = event.request;
  var lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
