// Who is asking: the platform operator (root key), a tenant (API key), or a screen (read-only).
export type Principal =
  | { kind: 'root' }
  | { kind: 'tenant'; tenantId: string; keyId: string }
  | { kind: 'screen'; tenantId: string; screenId: string };

/** The tenant whose subtree a principal acts on; null for root (everything). */
export function scopeOf(principal: Principal): string | null {
  return principal.kind === 'root' ? null : principal.tenantId;
}
