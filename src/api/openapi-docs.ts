// What the server needs from the OpenAPI service: a document for an /openapi/... path, if any.
export interface OpenApiDoc { body: Buffer; contentType: string; etag?: string; immutable?: boolean }

export interface OpenApiDocs {
  /** `accept` is the request's Accept header (/openapi/v2 is also served in protobuf). */
  serve(path: string, query: URLSearchParams, accept?: string): OpenApiDoc | undefined;
}
