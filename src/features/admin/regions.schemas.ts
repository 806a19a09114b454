import { z } from 'zod';
import { formFields } from '../../http/form-fields.ts';

const { checkbox, nullableText, optionalEmail, optionalWholeNumber, requiredText } = formFields('admin');

export const regionFormSchema = z.object({
  code: z
    .string({ error: 'admin:errors.required' })
    .trim()
    .toUpperCase()
    .min(1, 'admin:errors.required')
    .regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'admin:regions.errors.codeFormat'),
  nameRu: requiredText(200),
  nameKk: requiredText(200),
  nameEn: requiredText(200),
  isActive: checkbox,
  sortOrder: optionalWholeNumber(0, 9999, null, 'admin:errors.sortOrderRange'),
  contactEmail: optionalEmail,
  contactPhone: nullableText(50),
});

export type RegionForm = z.output<typeof regionFormSchema>;
