// Who is asking: the platform operator (root key), a tenant (API key), an admin (session
// cookie), or a screen (token or cookie, read-only).
export type Principal =
  | { kind: 'root' }
  | { kind: 'tenant'; tenantId: string; keyId: string }
  | { kind: 'user'; userId: string; sessionId: string }
  | { kind: 'screen'; tenantId: string; screenId: string };
