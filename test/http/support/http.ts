export type Answer = {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
};

/** One request to the API: JSON in (or raw text), status, headers and body (JSON when it is). */
export const call = async (
  url: string,
  options: { method?: string; headers?: Record<string, string>; json?: unknown; raw?: string } = {},
): Promise<Answer> => {
  const body = options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  const response = await fetch(url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('json');
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text, text };
};

export const withKey = (key: string) => ({ 'x-api-key': key });
