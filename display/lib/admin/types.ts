// The admin API's shapes as the display reads them (server/ owns the routes; these mirror them).
import type { BrandingSettings, ScreenSettings } from '$contract';

export type Role = 'owner' | 'admin' | 'viewer';
export type TenantKind = 'distributor' | 'installer' | 'customer';

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Membership {
  tenant_id: string;
  tenant_name: string;
  kind: TenantKind;
  role: Role;
}

export interface Me {
  user: User;
  memberships: Membership[];
}

export interface Invitation {
  email: string;
  tenant_name: string;
  role: Role;
}

export interface TenantDetail {
  tenant: { id: string; name: string; kind: TenantKind; parent_id: string | null };
  role: Role;
  children: { id: string; name: string; kind: TenantKind }[];
}

export type Branding = BrandingSettings;
export type BrandingKey = keyof Branding;

export interface BrandingState {
  own: Branding;
  effective: Branding;
  /** For each setting the tenant inherits: the id of the tenant it comes from. */
  inherited_from: Partial<Record<BrandingKey, string>>;
  /** What each setting would be if the tenant did not set it, and the tenant it would come from. */
  inherits?: { values: Branding; from: Partial<Record<BrandingKey, string>> };
}

/** What PUT /branding takes: every own setting but the logo (it has its own route); null = inherit. */
export type BrandingBody = Omit<Branding, 'logo_url'>;

export interface Screen {
  id: string;
  name: string;
  tenant_id: string;
  settings: ScreenSettings;
  created_at: string;
  revoked: boolean;
  sessions: number;
}

export interface CreatedScreen {
  id: string;
  token: string;
  /** A one-time pairing link, /pair/<code>. */
  url: string;
}

export interface ApiKey {
  id: string;
  label: string;
  created_at: string;
  revoked: boolean;
}

export interface Member {
  user_id: string;
  email: string;
  name: string;
  role: Role;
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  expires_at: string;
}

export interface Members {
  members: Member[];
  invitations: PendingInvitation[];
}
