/**
 * Vacancy records (空置) as stored: a vacancy discount applies only to days an approved record
 * covers (the billing run reads them).
 */
import type { VacancyStatus } from '../../../../miniprogram/domain/fee';

export interface VacancyDoc {
  _id: string;
  communityId: string;
  roomId: string;
  from: string;
  to: string;
  status: VacancyStatus;
  approvalRef: string;
  note: string | null;
  createdBy: string;
  createdAt: Date;
  revokedAt?: Date | null;
  revokedBy?: string;
  reason?: string | null;
}
