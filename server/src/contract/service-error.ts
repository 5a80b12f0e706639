// What a service implementation throws when a request cannot be honoured. Services know nothing
// about HTTP; the error handler maps the code to a status, and the message reaches the client
// (so it must never carry a secret).
export const SERVICE_ERROR_STATUS = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
} as const;

export type ServiceErrorCode = keyof typeof SERVICE_ERROR_STATUS;

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  constructor(code: ServiceErrorCode, message: string) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
  }

  get statusCode(): number {
    return SERVICE_ERROR_STATUS[this.code];
  }
}
