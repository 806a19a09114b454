import { z } from 'zod';

export const minimumPasswordLength = 10;

/** Messages are translation keys of the `admin` namespace, shown next to the field. */
export const setPasswordSchema = z
  .object({
    password: z
      .string({ error: 'admin:setPassword.errors.passwordRequired' })
      .min(1, 'admin:setPassword.errors.passwordRequired')
      .min(minimumPasswordLength, 'admin:setPassword.errors.passwordTooShort')
      .max(1024, 'admin:setPassword.errors.passwordTooLong')
      .refine((value) => value.trim().length >= minimumPasswordLength, 'admin:setPassword.errors.passwordTooShort'),
    passwordConfirmation: z.string({ error: 'admin:setPassword.errors.confirmationRequired' }).min(1, 'admin:setPassword.errors.confirmationRequired'),
  })
  .superRefine((value, context) => {
    if (value.password !== value.passwordConfirmation) {
      context.addIssue({ code: 'custom', path: ['passwordConfirmation'], message: 'admin:setPassword.errors.confirmationMismatch' });
    }
  });

export type SetPasswordInput = z.infer<typeof setPasswordSchema>;
