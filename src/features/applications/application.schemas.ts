import { z } from 'zod';
import { formFields } from '../../http/form-fields.ts';
import { normaliseKazakhPhone } from '../../lib/phone.ts';

// Messages are translation keys of the `apply` namespace; the form shows them next to each field.
const { checkbox, choice, email, iin, numberBetween, regionId, requiredText } = formFields('apply');

export const applicationLanguages = ['kk', 'ru', 'en', 'other'] as const;

/** The shape of the form. Programme rules (experience, residence, declarations) are in eligibility.ts. */
export const applicationFormSchema = z.object({
  fullName: requiredText(200),
  birthDate: z
    .string({ error: 'apply:errors.required' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'apply:errors.dateInvalid')
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'apply:errors.dateInvalid'),
  iin,
  phone: z
    .string({ error: 'apply:errors.required' })
    .trim()
    .min(1, 'apply:errors.required')
    .transform((value, context) => {
      const normalised = normaliseKazakhPhone(value);
      if (!normalised) {
        context.addIssue({ code: 'custom', message: 'apply:errors.phoneInvalid' });
        return z.NEVER;
      }
      return normalised;
    }),
  email,
  regionId,
  residenceMonths: numberBetween(0, 1200),
  occupation: requiredText(200),
  organisation: requiredText(300),
  education: requiredText(1000),
  experienceYears: numberBetween(0, 80),
  experienceDescription: requiredText(5000),
  vulnerableYouthWork: requiredText(5000),
  availableForTrips: choice(['yes', 'no']),
  languages: z
    .union([z.enum(applicationLanguages), z.array(z.enum(applicationLanguages))], { error: 'apply:errors.languagesRequired' })
    .transform((value) => (Array.isArray(value) ? [...new Set(value)] : [value])),
  motivation: requiredText(5000),
  declaresNotYouthGroupMember: checkbox,
  declaresNotHostOrgHeadOrAccountant: checkbox,
  consentsToDataProcessing: checkbox,
});

export type ApplicationForm = z.output<typeof applicationFormSchema>;

/** The text fields of the form, in the order they are shown (used to keep values after an error). */
export const applicationTextFields = [
  'fullName', 'birthDate', 'iin', 'phone', 'email', 'regionId', 'residenceMonths', 'occupation', 'organisation',
  'education', 'experienceYears', 'experienceDescription', 'vulnerableYouthWork', 'availableForTrips', 'motivation',
] as const;

/** "I lost my link": the IIN and the e-mail given in the application. */
export const lostLinkSchema = z.object({ iin, email });
export type LostLinkForm = z.output<typeof lostLinkSchema>;

/** "Save and continue later": only an address to send the continue link to is needed. */
export const draftSchema = z.object({ email });
