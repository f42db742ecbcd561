/** A request refused as a whole, with its HTTP status and a stable error code. */
export class IngestHttpError extends Error {
  override readonly name = 'IngestHttpError';
  constructor(
    readonly statusCode: number,
    readonly errorCode: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
