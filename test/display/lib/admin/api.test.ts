import { describe, expect, it, vi } from 'vitest';
import { afterLogin, ApiError, createApi, fieldError, formError, toApiError } from '$lib/admin/api.ts';

function answering(status: number, body?: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), { status });
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

describe('toApiError', () => {
  it("keeps the server's status, message and field", () => {
    const e = toApiError(400, { statusCode: 400, error: 'Bad Request', message: 'title must be at most 40 characters', field: 'title' });
    expect(e).toBeInstanceOf(ApiError);
    expect([e.statusCode, e.message, e.field]).toEqual([400, 'title must be at most 40 characters', 'title']);
  });

  it('names the field without the validator\'s "body/" prefix', () => {
    expect(toApiError(400, { message: 'x', field: 'body/accent_color' }).field).toBe('accent_color');
    expect(toApiError(400, { message: 'x', field: '/timezone' }).field).toBe('timezone');
  });

  it('says something readable when the body says nothing', () => {
    expect(toApiError(429, null).message).toBe('Too many attempts, try again in a minute');
    expect(toApiError(502, 'Bad gateway').message).toMatch(/server/i);
    expect(toApiError(400, {}).field).toBeNull();
  });
});

describe('fieldError / formError', () => {
  const about = new ApiError(400, 'name must not be empty', 'name');
  const general = new ApiError(403, 'Viewers cannot change screens');

  it('puts a field message beside its field and nowhere else', () => {
    expect(fieldError(about, 'name')).toBe('name must not be empty');
    expect(fieldError(about, 'email')).toBeNull();
    expect(formError(about, ['name'])).toBeNull();
  });

  it('shows anything not about a known field for the whole form', () => {
    expect(formError(general, ['name'])).toBe('Viewers cannot change screens');
    expect(formError(new ApiError(400, 'bad', 'other'), ['name'])).toBe('bad');
    expect(formError(null)).toBeNull();
  });
});

describe('createApi', () => {
  it('sends JSON same-origin and returns the parsed answer', async () => {
    const { fetch, calls } = answering(200, { user: { id: 'u1' } });
    const api = createApi({ fetch, onUnauthorized: () => {} });
    expect(await api('POST', '/api/v1/auth/login', { body: { email: 'a@b.c', password: 'p' } })).toEqual({ user: { id: 'u1' } });
    expect(calls[0].init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"email":"a@b.c","password":"p"}' });
    expect((calls[0].init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('sends a file as raw bytes', async () => {
    const { fetch, calls } = answering(200, { logo_url: '/logo.png' });
    const api = createApi({ fetch, onUnauthorized: () => {} });
    const file = new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' });
    await api('PUT', '/api/v1/admin/tenants/t/logo', { body: file });
    expect(calls[0].init.body).toBe(file);
    expect((calls[0].init.headers as Record<string, string>)['content-type']).toBe('application/octet-stream');
  });

  it('takes a 204 as nothing', async () => {
    const api = createApi({ fetch: answering(204).fetch, onUnauthorized: () => {} });
    expect(await api('DELETE', '/api/v1/admin/keys/k1')).toBeUndefined();
  });

  it('throws a typed error with the field, and sends the browser to sign in on 401', async () => {
    const onUnauthorized = vi.fn();
    const bad = createApi({ fetch: answering(400, { statusCode: 400, message: 'name must not be empty', field: 'name' }).fetch, onUnauthorized });
    await expect(bad('POST', '/x', { body: {} })).rejects.toMatchObject({ statusCode: 400, field: 'name' });
    expect(onUnauthorized).not.toHaveBeenCalled();

    const out = createApi({ fetch: answering(401, { statusCode: 401, message: 'Sign in first' }).fetch, onUnauthorized });
    await expect(out('GET', '/api/v1/auth/me')).rejects.toMatchObject({ statusCode: 401, message: 'Sign in first' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('leaves a 401 to the login form when asked', async () => {
    const onUnauthorized = vi.fn();
    const api = createApi({ fetch: answering(401, { message: 'Wrong e-mail address or password' }).fetch, onUnauthorized });
    await expect(api('POST', '/api/v1/auth/login', { body: {}, allowUnauthorized: true })).rejects.toMatchObject({ statusCode: 401 });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('turns a network failure into an error a person can read', async () => {
    const api = createApi({ fetch: (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch, onUnauthorized: () => {} });
    await expect(api('GET', '/x')).rejects.toMatchObject({ statusCode: 0, message: expect.stringMatching(/reach the server/) });
  });
});

describe('afterLogin', () => {
  it('returns to the admin page that sent us to sign in, and nowhere else', () => {
    expect(afterLogin('/admin/t/dist/screens')).toBe('/admin/t/dist/screens');
    expect(afterLogin(null)).toBe('/admin');
    expect(afterLogin('https://evil.example/admin')).toBe('/admin');
    expect(afterLogin('//evil.example/admin')).toBe('/admin');
    expect(afterLogin('/administrator')).toBe('/admin');
    expect(afterLogin('/admin/login')).toBe('/admin');
  });
});
