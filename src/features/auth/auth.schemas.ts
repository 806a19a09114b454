import { z } from 'zod';

/** Messages are translation keys; the view translates them next to the field. */
export const loginSchema = z.object({
  email: z.string().trim().min(1, 'auth.errors.emailRequired').max(254).pipe(z.email('auth.errors.emailInvalid')),
  password: z.string().min(1, 'auth.errors.passwordRequired').max(1024),
});

export type LoginInput = z.infer<typeof loginSchema>;
