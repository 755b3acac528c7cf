// The tenant the admin pages under /admin/t/[tenantId] work on, shared through Svelte context.
import { getContext, setContext } from 'svelte';
import type { Role, TenantDetail } from './types.ts';

const KEY = Symbol('tenant');

export class TenantContext {
  #detail = $state.raw<TenantDetail | null>(null);

  get detail(): TenantDetail | null {
    return this.#detail;
  }
  set detail(value: TenantDetail | null) {
    this.#detail = value;
  }
  get id(): string {
    return this.#detail?.tenant.id ?? '';
  }
  get role(): Role | null {
    return this.#detail?.role ?? null;
  }
  /** Viewers see everything they may see and change nothing. */
  get canEdit(): boolean {
    return this.role === 'owner' || this.role === 'admin';
  }
  get isOwner(): boolean {
    return this.role === 'owner';
  }
}

export function provideTenant(context: TenantContext): TenantContext {
  return setContext(KEY, context);
}

export function useTenant(): TenantContext {
  return getContext<TenantContext>(KEY);
}
