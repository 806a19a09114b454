import { z } from 'zod';
import { Locale } from '../../generated/prisma/enums.ts';
import { formFields } from '../../http/form-fields.ts';
import { positiveInteger } from '../../http/request-params.ts';

const { checkbox, email, requiredText } = formFields('admin');
const localeField = z.enum(Locale, { error: 'admin:errors.chooseOne' });

/** Roles a coordinator can give by invitation; mentors get their accounts when results are published. */
export const invitableRoles = ['COMMITTEE', 'COORDINATOR'] as const;
const invitableRole = z.enum(invitableRoles, { error: 'admin:users.errors.roleRequired' });

const optionalRegionId = z
  .string()
  .optional()
  .transform((value, context) => {
    const text = (value ?? '').trim();
    if (text === '') return null;
    const regionId = positiveInteger(text);
    if (regionId === undefined) {
      context.addIssue({ code: 'custom', message: 'admin:users.errors.regionUnknown' });
      return z.NEVER;
    }
    return regionId;
  });

export const inviteFormSchema = z.object({
  email,
  fullName: requiredText(200),
  role: invitableRole,
  locale: localeField,
  /** A committee member can be put into a region's committee right away. */
  regionId: optionalRegionId,
  isChair: checkbox,
});

export type InviteForm = z.output<typeof inviteFormSchema>;

export const userEditFormSchema = z.object({
  fullName: requiredText(200),
  /** Absent for a mentor, whose role does not change here. */
  role: invitableRole.optional(),
  locale: localeField,
});

export type UserEditForm = z.output<typeof userEditFormSchema>;

export const membershipFormSchema = z.object({
  regionId: z
    .string({ error: 'admin:users.errors.regionRequired' })
    .trim()
    .min(1, 'admin:users.errors.regionRequired')
    .refine((value) => positiveInteger(value) !== undefined, 'admin:users.errors.regionUnknown')
    .transform(Number),
  isChair: checkbox,
});

export type MembershipForm = z.output<typeof membershipFormSchema>;
