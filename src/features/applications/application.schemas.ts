import { z } from 'zod';
import { iinProblem } from '../../lib/iin.ts';
import { normaliseKazakhPhone } from '../../lib/phone.ts';

// Messages are translation keys of the `apply` namespace; the form shows them next to each field.
const requiredText = (max: number) =>
  z.string({ error: 'apply:errors.required' }).trim().min(1, 'apply:errors.required').max(max, 'apply:errors.tooLong');

/** An unticked checkbox sends nothing at all. */
const checkbox = z
  .unknown()
  .optional()
  .transform((value) => value === 'yes' || value === 'on' || value === 'true');

export const applicationLanguages = ['kk', 'ru', 'en', 'other'] as const;

/** The shape of the form. Programme rules (experience, residence, declarations) are in eligibility.ts. */
export const applicationFormSchema = z.object({
  fullName: requiredText(200),
  birthDate: z
    .string({ error: 'apply:errors.required' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'apply:errors.dateInvalid')
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'apply:errors.dateInvalid'),
  iin: z
    .string({ error: 'apply:errors.required' })
    .transform((value) => value.replace(/\s+/g, ''))
    .pipe(z.string().min(1, 'apply:errors.required'))
    .superRefine((value, context) => {
      const problem = iinProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: `apply:errors.iin.${problem}` });
    }),
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
  email: z.string({ error: 'apply:errors.required' }).trim().toLowerCase().min(1, 'apply:errors.required').max(254, 'apply:errors.tooLong').pipe(z.email('apply:errors.emailInvalid')),
  regionId: z.coerce.number({ error: 'apply:errors.regionRequired' }).int('apply:errors.regionRequired').positive('apply:errors.regionRequired'),
  residenceMonths: z.coerce.number({ error: 'apply:errors.numberInvalid' }).int('apply:errors.numberInvalid').min(0, 'apply:errors.numberInvalid').max(1200, 'apply:errors.numberInvalid'),
  occupation: requiredText(200),
  organisation: requiredText(300),
  education: requiredText(1000),
  experienceYears: z.coerce.number({ error: 'apply:errors.numberInvalid' }).int('apply:errors.numberInvalid').min(0, 'apply:errors.numberInvalid').max(80, 'apply:errors.numberInvalid'),
  experienceDescription: requiredText(5000),
  vulnerableYouthWork: requiredText(5000),
  availableForTrips: z.enum(['yes', 'no'], { error: 'apply:errors.chooseOne' }),
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
