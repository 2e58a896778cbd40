// Credentials and requests: every call goes to this same server, with the saved API key or token.
export const $ = (selector) => document.querySelector(selector);
export const CREDENTIALS = 'chronicle.credentials';

export const credentials = () => JSON.parse(sessionStorage.getItem(CREDENTIALS) ?? 'null');

export const authHeaders = () => {
  const saved = credentials();
  if (!saved?.value) return {};
  return saved.kind === 'bearer' ? { authorization: `Bearer ${saved.value}` } : { 'x-api-key': saved.value };
};

export const showStatus = (message) => {
  $('#status').textContent = message ?? '';
};

export const api = async (path, options = {}) => {
  const response = await fetch(path, { ...options, headers: { ...authHeaders(), ...options.headers } });
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : undefined;
  if (!response.ok) {
    const error = new Error(`${body?.code ?? response.status}: ${body?.message ?? response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return body;
};

export const guarded =
  (fn) =>
  async (...args) => {
    try {
      showStatus('');
      await fn(...args);
    } catch (error) {
      showStatus(error.message);
    }
  };
