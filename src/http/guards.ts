import type { Request, RequestHandler } from 'express';
import type { UserRole } from '../generated/prisma/enums.ts';
import { ForbiddenError } from '../lib/errors.ts';

/** What the session knows about the signed-in user (loaded on every request by passport). */
export interface SessionUser {
  id: number;
  email: string;
  fullName: string;
  role: UserRole;
  locale: string;
  committeeRegions: { regionId: number; isChair: boolean }[];
  /** A TOTP second factor is set up (and was passed at sign-in). */
  twoFactorEnabled: boolean;
}

declare global {
  namespace Express {
    interface User extends SessionUser {}
  }
}

/** Roles a route can ask for; "chair" is a committee member who chairs at least one region. */
export type RouteRole = UserRole | 'CHAIR';

export function userHasRole(user: SessionUser, role: RouteRole): boolean {
  if (role === 'CHAIR') return user.role === 'COMMITTEE' && user.committeeRegions.some((membership) => membership.isChair);
  return user.role === role;
}

export function currentUser(request: Request): SessionUser | undefined {
  return request.isAuthenticated?.() ? request.user : undefined;
}

/** Visitors go to the login page (and come back afterwards); signed-in users without the role get 403. */
export function requireRole(...roles: RouteRole[]): RequestHandler {
  return (request, response, next) => {
    const user = currentUser(request);
    if (!user) {
      const next_ = encodeURIComponent(request.originalUrl);
      return response.redirect(303, `/login?next=${next_}`);
    }
    if (roles.length > 0 && !roles.some((role) => userHasRole(user, role))) {
      return next(new ForbiddenError(`Role ${user.role} may not open ${request.method} ${request.baseUrl}${request.path}`));
    }
    next();
  };
}

export const requireSignedIn: RequestHandler = requireRole();
