/**
 * HTTP semantic-convention attribute names for the API's server spans. They belong beside the
 * others in src/tracing/attributes.ts; kept here until they move.
 */
export const httpAttr = {
  requestMethod: 'http.request.method',
  route: 'http.route',
  responseStatusCode: 'http.response.status_code',
  principal: 'chronicle.principal',
} as const;
