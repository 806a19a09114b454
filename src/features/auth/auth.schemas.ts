import { z } from 'zod';
import { emailAddress } from '../../http/form-fields.ts';

/** Messages are translation keys; the view translates them next to the field. */
export const loginSchema = z.object({
  // Shown back as typed after a wrong password; verifyCredentials lower-cases it.
  email: emailAddress({ required: 'auth.errors.emailRequired', invalid: 'auth.errors.emailInvalid' }, { keepCase: true }),
  password: z.string().min(1, 'auth.errors.passwordRequired').max(1024),
});

export type LoginInput = z.infer<typeof loginSchema>;
