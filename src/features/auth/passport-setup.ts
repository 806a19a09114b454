import { Passport, type PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { SqlQuery } from '../../db/database.ts';
import { loadSessionUser, verifyCredentials } from './auth.service.ts';

/** A Passport instance per app (not the global singleton), so tests can run apps side by side. */
export function createPassport(prisma: PrismaClient, sql: SqlQuery): PassportStatic {
  const passport = new Passport() as PassportStatic;
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      verifyCredentials(prisma, email, password).then(
        (user) => done(null, user ?? false),
        (error: unknown) => done(error),
      );
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: number, done) => {
    loadSessionUser(sql, id).then(
      (user) => done(null, user ?? false),
      (error: unknown) => done(error),
    );
  });
  return passport;
}
