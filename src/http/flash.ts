import type { Request } from 'express';

export type FlashKind = 'success' | 'info' | 'error';
export interface FlashMessage {
  kind: FlashKind;
  /** Translation key, so the message appears in the language of the page that shows it. */
  key: string;
}

declare module 'express-session' {
  interface SessionData {
    flash?: FlashMessage[];
  }
}

export function addFlash(request: Request, kind: FlashKind, key: string): void {
  request.session.flash = [...(request.session.flash ?? []), { kind, key }];
}

export function takeFlash(request: Request): FlashMessage[] {
  const messages = request.session?.flash ?? [];
  if (messages.length > 0) delete request.session.flash;
  return messages;
}
