/** Domain errors: services throw these; the HTTP error handler turns them into pages. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Translation key of the message shown to the user. */
    readonly messageKey: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(message = 'Not found') {
    super(message, 404, 'errors.notFound.text');
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Forbidden') {
    super(message, 403, 'errors.forbidden.text');
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, messageKey = 'errors.conflict.text') {
    super(message, 409, messageKey);
  }
}

export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message, 422, 'errors.validation.text');
  }
}
