import { Type } from '@sinclair/typebox';

export const TenantParams = Type.Object({ tenantId: Type.String({ minLength: 1, maxLength: 128 }) });
export interface TenantParams {
  tenantId: string;
}
